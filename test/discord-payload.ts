/**
 * Checks that what the bot sends Discord would be accepted, and reads the way we promise:
 * first against discord-api-spec's zod schemas (generated from Discord's OpenAPI spec), then the
 * limits those schemas miss (the 6,000-character embed total, five action rows, unique custom ids,
 * 100-character autocomplete values, `allowed_mentions: {parse: []}` on every message…).
 *
 * Every failure names the rule and the place (`callback.data.embeds[0].fields[3].value`); the
 * Error lists all failures of the schema, or, once the schema passes, all failures of the other
 * rules. Lengths are counted in UTF-16 code units (`string.length`), never less than Discord's
 * count, so a payload that passes here is not rejected there for its length.
 */
// @ts-expect-error -- discord-api-spec ships its zod schemas as JavaScript without declarations; typed below.
import * as rawSpec from 'discord-api-spec/zod';

// ---------------------------------------------------------------------------------------------
// The schemas we use, with the little of zod's API we need

interface SpecIssue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  expected?: string;
  values?: readonly unknown[];
  keys?: readonly string[];
  origin?: string;
  format?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  errors?: readonly (readonly SpecIssue[])[];
}

type SpecResult = { success: true; data: unknown } | { success: false; error: { issues: readonly SpecIssue[] } };

interface SpecSchema {
  safeParse(data: unknown): SpecResult;
}

const SCHEMA_NAMES = [
  /** Callback types 4 and 5. */
  'CreateMessageInteractionCallbackRequestSchema',
  /** Callback types 6 and 7. */
  'UpdateMessageInteractionCallbackRequestSchema',
  /** Callback type 8. */
  'ApplicationCommandAutocompleteCallbackRequestSchema',
  /** Callback type 9 (we send none today). */
  'ModalInteractionCallbackRequestSchema',
  /** Callback type 1, the answer to a PING on an HTTP interactions endpoint. */
  'PongInteractionCallbackRequestSchema',
  /** PATCH /webhooks/:app/:token/messages/@original (editReply after a deferral). */
  'IncomingWebhookUpdateRequestPartialSchema',
  /** POST /webhooks/:app/:token (followUp). */
  'IncomingWebhookRequestPartialSchema',
  /** One item of the bulk overwrite PUT /applications/:app(/guilds/:guild)/commands. */
  'ApplicationCommandUpdateRequestSchema',
] as const;

type SchemaName = (typeof SCHEMA_NAMES)[number];

const spec = rawSpec as Record<string, unknown>;

function schema(name: SchemaName): SpecSchema {
  const found = spec[name];
  if (typeof found !== 'object' || found === null || typeof (found as Partial<SpecSchema>).safeParse !== 'function') {
    throw new Error(`discord-api-spec/zod has no schema ${name}; the package changed, update test/discord-payload.ts`);
  }
  return found as SpecSchema;
}

for (const name of SCHEMA_NAMES) schema(name);

// ---------------------------------------------------------------------------------------------
// Limits the schemas do not check (or check more loosely than Discord)

export const LIMITS = {
  embedsPerMessage: 10,
  embedTotal: 6000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  content: 2000,
  actionRows: 5,
  componentsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  chatInputCommands: 100,
  contextMenuCommands: 15,
  commandName: 32,
  commandDescription: 100,
  options: 25,
  optionChoices: 25,
  commandTotal: 8000,
} as const;

const NAME_PATTERN = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const IS_COMPONENTS_V2 = 1 << 15;
/**
 * Fields Discord accepts that the spec's schemas lack, by path below the checked body. discord.js
 * sends `enforce_nonce` and `tts` (and `nonce` when given) with every message, also where Discord ignores them (in
 * edits and updates, nonces in interaction responses). Commands may carry `nsfw`.
 */
const EXTRA_COMMAND_FIELDS: ReadonlySet<string> = new Set(['nsfw']);
const EXTRA_CALLBACK_FIELDS: ReadonlySet<string> = new Set(['data.nonce', 'data.enforce_nonce', 'data.tts']);
const EXTRA_WEBHOOK_FIELDS: ReadonlySet<string> = new Set(['nonce', 'enforce_nonce', 'tts']);

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Problems {
  readonly list: string[] = [];
  add(rule: string, where: string, what: string): void {
    this.list.push(`${where}: ${what} [${rule}]`);
  }
  throwIfAny(title: string): void {
    if (this.list.length > 0) throw new Error(`${title}:\n${this.list.map((p) => `  - ${p}`).join('\n')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Paths and schema issues

function pathString(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else if (isRecord(current) && typeof key === 'string') current = current[key];
    else return undefined;
  }
  return current;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value) ?? String(value);
}

function sizeOf(value: unknown): string {
  if (typeof value === 'string') return `${value.length} characters`;
  if (Array.isArray(value)) return `${value.length} items`;
  return describe(value);
}

function isDiscriminatorMismatch(issue: SpecIssue): boolean {
  return issue.code === 'invalid_value' && issue.path.length === 1 && issue.path[0] === 'type';
}

/** Turns zod issues into problems; a union is reported through the branch whose `type` matched. */
function reportIssues(
  problems: Problems,
  rule: string,
  root: string,
  input: unknown,
  issues: readonly SpecIssue[],
  base: readonly PropertyKey[] = [],
): void {
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    const where = pathString(root, path);
    const value = valueAt(input, path);
    if (issue.code === 'invalid_union' && issue.errors) {
      // The branch meant: its `type` matched and its value is the right kind of thing (a branch
      // failing at its own root, like `undefined` or `string`, is a shape that was not meant).
      const matching = issue.errors.filter((branch) => !branch.some(isDiscriminatorMismatch));
      const meant = matching.filter((branch) => !branch.some((i) => i.path.length === 0 && i.code === 'invalid_type'));
      const candidates = meant.length > 0 ? meant : matching;
      const best = candidates.length > 0 ? candidates.reduce((a, b) => (b.length < a.length ? b : a)) : undefined;
      if (best) {
        reportIssues(problems, rule, root, input, best, path);
      } else {
        const types = issue.errors.flatMap((branch) => branch.filter(isDiscriminatorMismatch).flatMap((i) => i.values ?? []));
        const type = valueAt(input, [...path, 'type']);
        problems.add(
          rule,
          type === undefined ? where : `${where}.type`,
          type === undefined
            ? `matches none of the allowed shapes (${describe(value)})`
            : `unknown type ${describe(type)}; allowed: ${[...new Set(types)].sort((a, b) => Number(a) - Number(b)).join(', ')}`,
        );
      }
      continue;
    }
    switch (issue.code) {
      case 'invalid_type':
        problems.add(
          rule,
          where,
          issue.expected === 'nonoptional' || value === undefined ? 'is required' : `expected ${issue.expected}, got ${describe(value)}`,
        );
        break;
      case 'too_big':
        problems.add(rule, where, `is ${sizeOf(value)}; at most ${String(issue.maximum)} allowed`);
        break;
      case 'too_small':
        problems.add(rule, where, `is ${sizeOf(value)}; at least ${String(issue.minimum)} required`);
        break;
      case 'invalid_value':
        problems.add(rule, where, `is ${describe(value)}; allowed: ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`);
        break;
      case 'invalid_format':
        problems.add(rule, where, `${describe(value)} is not a valid ${issue.format ?? 'value'}`);
        break;
      case 'unrecognized_keys':
        problems.add(rule, where, `unknown field(s) ${(issue.keys ?? []).join(', ')}`);
        break;
      default:
        problems.add(rule, where, `${issue.code}: ${issue.message}`);
    }
  }
}

/**
 * discord-api-spec's objects strip unknown keys instead of rejecting them, so compare the input
 * with what the schema kept: a key the schema dropped is a field Discord does not know (a typo such
 * as `allowedMentions`, which Discord would silently ignore).
 */
function reportUnknownFields(
  problems: Problems,
  rule: string,
  root: string,
  input: unknown,
  output: unknown,
  path: PropertyKey[] = [],
  allowed: ReadonlySet<string> = new Set(),
): void {
  if (Array.isArray(input) && Array.isArray(output)) {
    input.forEach((item, i) => reportUnknownFields(problems, rule, root, item, output[i], [...path, i], allowed));
    return;
  }
  if (!isRecord(input) || !isRecord(output)) return;
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!(key in output)) {
      if (!allowed.has(pathString('', [...path, key]).replace(/^\./, '')))
        problems.add(rule, pathString(root, [...path, key]), 'unknown field (Discord ignores it)');
      continue;
    }
    reportUnknownFields(problems, rule, root, value, output[key], [...path, key], allowed);
  }
}

function checkSchema(
  problems: Problems,
  name: SchemaName,
  root: string,
  input: unknown,
  allowedExtra: ReadonlySet<string> = new Set(),
): boolean {
  const result = schema(name).safeParse(input);
  if (!result.success) {
    reportIssues(problems, name, root, input, result.error.issues);
    return false;
  }
  reportUnknownFields(problems, name, root, input, result.data, [], allowedExtra);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Message rules

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function checkLength(problems: Problems, rule: string, where: string, value: unknown, max: number, min = 0): void {
  if (value === undefined || value === null) {
    if (min > 0) problems.add(rule, where, 'is required');
    return;
  }
  if (typeof value !== 'string') {
    problems.add(rule, where, `expected a string, got ${describe(value)}`);
    return;
  }
  if (value.length > max) problems.add(rule, where, `is ${value.length} characters; at most ${max} allowed`);
  if (value.length < min) problems.add(rule, where, `is ${value.length} characters; at least ${min} required`);
}

function checkEmbeds(problems: Problems, where: string, embeds: unknown): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) {
    problems.add('embeds', where, `expected an array, got ${describe(embeds)}`);
    return;
  }
  if (embeds.length > LIMITS.embedsPerMessage) {
    problems.add('≤ 10 embeds', where, `has ${embeds.length} embeds; at most ${LIMITS.embedsPerMessage} allowed`);
  }
  let total = 0;
  embeds.forEach((embed: unknown, i) => {
    const at = `${where}[${i}]`;
    if (!isRecord(embed)) {
      problems.add('embed', at, `expected an object, got ${describe(embed)}`);
      return;
    }
    checkLength(problems, 'embed title ≤ 256', `${at}.title`, embed['title'], LIMITS.embedTitle);
    checkLength(problems, 'embed description ≤ 4096', `${at}.description`, embed['description'], LIMITS.embedDescription);
    total += text(embed['title']).length + text(embed['description']).length;
    const footer = embed['footer'];
    if (isRecord(footer)) {
      checkLength(problems, 'embed footer ≤ 2048', `${at}.footer.text`, footer['text'], LIMITS.footerText, 1);
      total += text(footer['text']).length;
    }
    const author = embed['author'];
    if (isRecord(author)) {
      checkLength(problems, 'embed author name ≤ 256', `${at}.author.name`, author['name'], LIMITS.authorName, 1);
      total += text(author['name']).length;
    }
    const fields = embed['fields'];
    if (Array.isArray(fields)) {
      if (fields.length > LIMITS.embedFields) {
        problems.add('≤ 25 embed fields', `${at}.fields`, `has ${fields.length} fields; at most ${LIMITS.embedFields} allowed`);
      }
      fields.forEach((field: unknown, j) => {
        const fieldAt = `${at}.fields[${j}]`;
        if (!isRecord(field)) return;
        checkLength(problems, 'embed field name 1–256', `${fieldAt}.name`, field['name'], LIMITS.fieldName, 1);
        checkLength(problems, 'embed field value 1–1024', `${fieldAt}.value`, field['value'], LIMITS.fieldValue, 1);
        total += text(field['name']).length + text(field['value']).length;
      });
    }
    const visible = ['title', 'description', 'fields', 'image', 'thumbnail', 'author', 'footer'].some((key) => {
      const v = embed[key];
      return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== '';
    });
    if (!visible) problems.add('embed not empty', at, 'has no title, description, fields, image, author or footer');
  });
  if (total > LIMITS.embedTotal) {
    problems.add(
      'embed total ≤ 6000',
      where,
      `title + description + field names and values + footer + author add up to ${total} characters; at most ${LIMITS.embedTotal} allowed`,
    );
  }
}

function checkComponents(problems: Problems, where: string, components: unknown, flags: unknown): void {
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) {
    problems.add('components', where, `expected an array, got ${describe(components)}`);
    return;
  }
  const componentsV2 = typeof flags === 'number' && (flags & IS_COMPONENTS_V2) !== 0;
  if (!componentsV2) {
    const rows = components.filter((c: unknown) => isRecord(c) && c['type'] === 1).length;
    if (rows > LIMITS.actionRows) problems.add('≤ 5 action rows', where, `has ${rows} action rows; at most ${LIMITS.actionRows} allowed`);
    components.forEach((c: unknown, i) => {
      if (isRecord(c) && c['type'] !== 1) {
        problems.add(
          'top level holds action rows',
          `${where}[${i}].type`,
          `is ${describe(c['type'])}; without IS_COMPONENTS_V2 only action rows (1) are allowed`,
        );
      }
    });
  }
  const seen = new Map<string, string>();
  const visit = (component: unknown, at: string): void => {
    if (!isRecord(component)) return;
    const type = component['type'];
    const children = component['components'];
    if (type === 1 && Array.isArray(children)) {
      if (children.length > LIMITS.componentsPerRow) {
        problems.add(
          '≤ 5 buttons per row',
          `${at}.components`,
          `has ${children.length} components; at most ${LIMITS.componentsPerRow} allowed`,
        );
      }
      if (children.length === 0) problems.add('row not empty', `${at}.components`, 'is empty');
      const selects = children.filter((c: unknown) => isRecord(c) && [3, 5, 6, 7, 8].includes(Number(c['type'])));
      if (selects.length > 0 && children.length > 1)
        problems.add('select menu alone in its row', `${at}.components`, 'mixes a select menu with other components');
    }
    if (type === 2) {
      const style = component['style'];
      const hasCustomId = typeof component['custom_id'] === 'string';
      if (style === 5 && (!component['url'] || hasCustomId))
        problems.add('link button', at, 'a link button (style 5) needs url and no custom_id');
      if (style === 6 && !component['sku_id']) problems.add('premium button', at, 'a premium button (style 6) needs sku_id');
      if (typeof style === 'number' && style >= 1 && style <= 4 && (!hasCustomId || component['url'] !== undefined)) {
        problems.add('button custom_id', at, `a style ${style} button needs custom_id and no url`);
      }
      if (style !== 6 && !component['label'] && !component['emoji']) problems.add('button label', at, 'needs a label or an emoji');
      checkLength(problems, 'button label ≤ 80', `${at}.label`, component['label'], LIMITS.buttonLabel);
    }
    const customId = component['custom_id'];
    if (customId !== undefined) {
      checkLength(problems, 'custom_id ≤ 100', `${at}.custom_id`, customId, LIMITS.customId, 1);
      if (typeof customId === 'string') {
        const first = seen.get(customId);
        if (first) problems.add('custom_id unique', `${at}.custom_id`, `${JSON.stringify(customId)} is also used at ${first}`);
        else seen.set(customId, `${at}.custom_id`);
      }
    }
    if (Array.isArray(children)) children.forEach((child: unknown, j) => visit(child, `${at}.components[${j}]`));
    if (isRecord(component['accessory'])) visit(component['accessory'], `${at}.accessory`);
  };
  components.forEach((c: unknown, i) => visit(c, `${where}[${i}]`));
}

function checkAllowedMentions(problems: Problems, where: string, data: Json): void {
  const mentions = data['allowed_mentions'];
  const rule = 'allowed_mentions {parse: []}';
  if (!isRecord(mentions)) {
    problems.add(
      rule,
      `${where}.allowed_mentions`,
      'is missing; every message must carry allowed_mentions: {parse: []} so a catalog entry cannot ping anyone',
    );
    return;
  }
  const parse = mentions['parse'];
  if (!Array.isArray(parse) || parse.length > 0) problems.add(rule, `${where}.allowed_mentions.parse`, `is ${describe(parse)}; must be []`);
  for (const key of ['users', 'roles'] as const) {
    const list = mentions[key];
    if (Array.isArray(list) && list.length > 0)
      problems.add(rule, `${where}.allowed_mentions.${key}`, `allows ${list.length} mention(s); must be empty`);
  }
}

/** The rules every message body (callback data, webhook edit, follow-up) must follow. */
function checkMessage(problems: Problems, where: string, data: Json, options: { requireVisible: boolean }): void {
  checkLength(problems, 'content ≤ 2000', `${where}.content`, data['content'], LIMITS.content);
  checkEmbeds(problems, `${where}.embeds`, data['embeds']);
  checkComponents(problems, `${where}.components`, data['components'], data['flags']);
  checkAllowedMentions(problems, where, data);
  if (options.requireVisible) {
    const has = (key: string): boolean => {
      const v = data[key];
      return Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v.length > 0 : v !== undefined && v !== null;
    };
    if (!['content', 'embeds', 'components', 'attachments', 'poll'].some(has)) {
      problems.add(
        'message not empty',
        where,
        'has no content, embeds, components or attachments (Discord answers 50006 Cannot send an empty message)',
      );
    }
  }
}

function checkAutocomplete(problems: Problems, where: string, data: Json): void {
  const choices = data['choices'];
  if (!Array.isArray(choices)) {
    problems.add('autocomplete choices', `${where}.choices`, `is ${describe(choices)}; send an array (empty for no suggestions)`);
    return;
  }
  if (choices.length > LIMITS.autocompleteChoices) {
    problems.add('≤ 25 choices', `${where}.choices`, `has ${choices.length} choices; at most ${LIMITS.autocompleteChoices} allowed`);
  }
  checkChoiceList(problems, `${where}.choices`, choices);
}

function checkChoiceList(problems: Problems, where: string, choices: readonly unknown[]): void {
  choices.forEach((choice: unknown, i) => {
    const at = `${where}[${i}]`;
    if (!isRecord(choice)) {
      problems.add('choice', at, `expected an object, got ${describe(choice)}`);
      return;
    }
    checkLength(problems, 'choice name 1–100', `${at}.name`, choice['name'], LIMITS.choiceName, 1);
    const value = choice['value'];
    if (typeof value === 'string') checkLength(problems, 'choice value ≤ 100', `${at}.value`, value, LIMITS.choiceValue);
    else if (typeof value !== 'number') problems.add('choice value', `${at}.value`, `expected a string or number, got ${describe(value)}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Public checks

/**
 * Validates an interaction callback body (`POST /interactions/:id/:token/callback`) by type:
 * 4 and 5 against CreateMessageInteractionCallbackRequestSchema, 6 and 7 against
 * UpdateMessageInteractionCallbackRequestSchema, 8 against
 * ApplicationCommandAutocompleteCallbackRequestSchema (9 against ModalInteractionCallbackRequestSchema),
 * then the limits those miss; 1 (PONG) against PongInteractionCallbackRequestSchema when the answer
 * went `over` an HTTP interactions endpoint, the only place a PING comes. Throws an Error listing
 * every rule that failed and where.
 */
export function expectValidCallback(body: unknown, options: { over?: 'gateway' | 'http' } = {}): void {
  const problems = new Problems();
  const root = 'callback';
  if (!isRecord(body)) {
    problems.add('callback', root, `expected an object, got ${describe(body)}`);
    problems.throwIfAny('Invalid interaction callback');
    return;
  }
  const type = body['type'];
  const data = isRecord(body['data']) ? body['data'] : undefined;
  const where = `${root}.data`;
  switch (type) {
    case 4:
      if (checkSchema(problems, 'CreateMessageInteractionCallbackRequestSchema', root, body, EXTRA_CALLBACK_FIELDS)) {
        if (!data) problems.add('type 4 needs data', where, 'is missing');
        else checkMessage(problems, where, data, { requireVisible: true });
      }
      break;
    case 5:
      if (checkSchema(problems, 'CreateMessageInteractionCallbackRequestSchema', root, body, EXTRA_CALLBACK_FIELDS) && data) {
        for (const key of Object.keys(data)) {
          if (key !== 'flags' && data[key] !== undefined)
            problems.add(
              'deferred reply carries flags only',
              `${where}.${key}`,
              'is ignored by Discord in a deferral; send it in the edit',
            );
        }
      }
      break;
    case 6:
      if (
        checkSchema(problems, 'UpdateMessageInteractionCallbackRequestSchema', root, body, EXTRA_CALLBACK_FIELDS) &&
        data &&
        Object.keys(data).length > 0
      ) {
        problems.add('deferred update carries no data', where, 'is ignored by Discord in a deferred update; send it in the edit');
      }
      break;
    case 7:
      if (checkSchema(problems, 'UpdateMessageInteractionCallbackRequestSchema', root, body, EXTRA_CALLBACK_FIELDS)) {
        if (!data) problems.add('type 7 needs data', where, 'is missing');
        else checkMessage(problems, where, data, { requireVisible: false });
      }
      break;
    case 8:
      if (checkSchema(problems, 'ApplicationCommandAutocompleteCallbackRequestSchema', root, body)) {
        if (!data) problems.add('type 8 needs data', where, 'is missing');
        else checkAutocomplete(problems, where, data);
      }
      break;
    case 9:
      checkSchema(problems, 'ModalInteractionCallbackRequestSchema', root, body);
      break;
    case 1:
      if (options.over === 'http') checkSchema(problems, 'PongInteractionCallbackRequestSchema', root, body);
      else problems.add('callback type', `${root}.type`, 'is 1 (PONG), which only answers a PING on an HTTP interactions endpoint');
      break;
    default:
      problems.add('callback type', `${root}.type`, `is ${describe(type)}; expected 4, 5, 6, 7 or 8`);
  }
  problems.throwIfAny(`Invalid interaction callback (type ${describe(type)})`);
}

/**
 * Validates a webhook message body: `PATCH /webhooks/:app/:token/messages/@original` (the edit after
 * a deferral; IncomingWebhookUpdateRequestPartialSchema) or `POST /webhooks/:app/:token` (a
 * follow-up; IncomingWebhookRequestPartialSchema), with the same message rules as a callback.
 */
export function expectValidWebhookBody(body: unknown, method: 'PATCH' | 'POST' = 'PATCH'): void {
  const problems = new Problems();
  const root = method === 'PATCH' ? 'edit' : 'followup';
  const name = method === 'PATCH' ? 'IncomingWebhookUpdateRequestPartialSchema' : 'IncomingWebhookRequestPartialSchema';
  if (!isRecord(body)) {
    problems.add(name, root, `expected an object, got ${describe(body)}`);
  } else if (checkSchema(problems, name, root, body, EXTRA_WEBHOOK_FIELDS)) {
    checkMessage(problems, root, body, { requireVisible: method === 'POST' });
  }
  problems.throwIfAny(`Invalid webhook ${method === 'PATCH' ? 'edit' : 'follow-up'}`);
}

function checkOptions(problems: Problems, where: string, options: unknown, depth: number): number {
  if (options === undefined || options === null) return 0;
  if (!Array.isArray(options)) return 0;
  let size = 0;
  if (options.length > LIMITS.options)
    problems.add('≤ 25 options', where, `has ${options.length} options; at most ${LIMITS.options} allowed`);
  const names = new Map<string, number>();
  let sawOptional = false;
  options.forEach((option: unknown, i) => {
    const at = `${where}[${i}]`;
    if (!isRecord(option)) return;
    const name = option['name'];
    if (typeof name === 'string') {
      size += name.length;
      if (!NAME_PATTERN.test(name))
        problems.add('option name ^[-_\\p{L}\\p{N}]{1,32}$', `${at}.name`, `${JSON.stringify(name)} is not a valid name`);
      if (name !== name.toLowerCase())
        problems.add('option name lower case', `${at}.name`, `${JSON.stringify(name)} has upper-case letters`);
      const first = names.get(name);
      if (first !== undefined) problems.add('option names unique', `${at}.name`, `${JSON.stringify(name)} is also option ${first}`);
      else names.set(name, i);
    }
    size += text(option['description']).length;
    checkLength(problems, 'option description 1–100', `${at}.description`, option['description'], LIMITS.commandDescription, 1);
    const type = option['type'];
    const isSub = type === 1 || type === 2;
    if (isSub) {
      if (depth >= 2 || (type === 2 && depth >= 1))
        problems.add('subcommand nesting', `${at}.type`, 'nests subcommands deeper than Discord allows');
      size += checkOptions(problems, `${at}.options`, option['options'], depth + 1);
    } else {
      const required = option['required'] === true;
      if (required && sawOptional) problems.add('required options first', at, 'is required but follows an optional option');
      if (!required) sawOptional = true;
    }
    const choices = option['choices'];
    if (Array.isArray(choices)) {
      if (choices.length > LIMITS.optionChoices)
        problems.add('≤ 25 choices', `${at}.choices`, `has ${choices.length} choices; at most ${LIMITS.optionChoices} allowed`);
      if (option['autocomplete'] === true && choices.length > 0)
        problems.add('choices or autocomplete', at, 'has both choices and autocomplete');
      checkChoiceList(problems, `${at}.choices`, choices);
      for (const choice of choices) if (isRecord(choice)) size += text(choice['name']).length + String(choice['value'] ?? '').length;
    }
  });
  return size;
}

/**
 * Validates the body of a bulk overwrite (`PUT /applications/:app/commands` or the guild variant):
 * each command against ApplicationCommandUpdateRequestSchema, then Discord's other rules: ≤ 100
 * slash commands, names `^[-_\p{L}\p{N}]{1,32}$` in lower case and unique, descriptions 1–100,
 * ≤ 25 options with required ones first, ≤ 25 choices of ≤ 100 characters, ≤ 8,000 characters per command.
 */
export function expectValidCommandsBody(body: unknown): void {
  const problems = new Problems();
  const root = 'commands';
  if (!Array.isArray(body)) {
    problems.add('bulk overwrite body is an array', root, `expected an array of commands, got ${describe(body)}`);
    problems.throwIfAny('Invalid application commands');
    return;
  }
  const counts = new Map<number, number>();
  const names = new Map<string, number>();
  body.forEach((command: unknown, i) => {
    const at = `${root}[${i}]`;
    const ok = checkSchema(problems, 'ApplicationCommandUpdateRequestSchema', at, command, EXTRA_COMMAND_FIELDS);
    if (!ok || !isRecord(command)) return;
    const type = typeof command['type'] === 'number' ? command['type'] : 1;
    counts.set(type, (counts.get(type) ?? 0) + 1);
    const name = text(command['name']);
    const key = `${type}:${name}`;
    const first = names.get(key);
    if (first !== undefined) problems.add('command names unique', `${at}.name`, `${JSON.stringify(name)} is also command ${first}`);
    else names.set(key, i);
    if (type === 1) {
      if (!NAME_PATTERN.test(name))
        problems.add('command name ^[-_\\p{L}\\p{N}]{1,32}$', `${at}.name`, `${JSON.stringify(name)} is not a valid name`);
      if (name !== name.toLowerCase())
        problems.add('command name lower case', `${at}.name`, `${JSON.stringify(name)} has upper-case letters`);
      checkLength(problems, 'command description 1–100', `${at}.description`, command['description'], LIMITS.commandDescription, 1);
    }
    const size = name.length + text(command['description']).length + checkOptions(problems, `${at}.options`, command['options'], 0);
    if (size > LIMITS.commandTotal)
      problems.add(
        'command ≤ 8000 characters',
        at,
        `names, descriptions and choices add up to ${size} characters; at most ${LIMITS.commandTotal} allowed`,
      );
  });
  const slash = counts.get(1) ?? 0;
  if (slash > LIMITS.chatInputCommands)
    problems.add('≤ 100 slash commands', root, `has ${slash} slash commands; at most ${LIMITS.chatInputCommands} allowed`);
  for (const type of [2, 3]) {
    const n = counts.get(type) ?? 0;
    if (n > LIMITS.contextMenuCommands)
      problems.add(
        '≤ 15 context menu commands per type',
        root,
        `has ${n} commands of type ${type}; at most ${LIMITS.contextMenuCommands} allowed`,
      );
  }
  problems.throwIfAny('Invalid application commands');
}
