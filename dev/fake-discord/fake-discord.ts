/**
 * A small fake Discord on 127.0.0.1, for the tests, the benchmarks and `npm run demo`: the REST
 * routes a slash-command bot uses, and a gateway that says HELLO, answers IDENTIFY with READY and a GUILD_CREATE per guild, ACKs
 * heartbeats and RESUMEs. The real discord.js client connects to it through `rest.api`.
 *
 * It behaves like Discord where a bot could get it wrong: an interaction is acknowledged once
 * (a second callback is 400, code 40060), a callback after the deadline (3 s) is 404 (code 10062),
 * webhook edits before the callback are 404 (code 10008), bot routes need `Authorization: Bot …`,
 * and every unknown route is recorded and answered 404, so tests can assert nothing unexpected
 * was called. An interaction sent to the bot's HTTP endpoint instead is made known to the
 * webhook routes with `acknowledgeOverHttp`.
 */
import { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  APIApplicationCommand,
  APIChannel,
  APIGuildMember,
  APIInteraction,
  APIInteractionResponse,
  APIMessage,
  APIOverwrite,
  APIRole,
  APIUser,
  ApplicationFlags,
  ChannelFlags,
  GatewayGuildCreateDispatchData,
  GatewayReadyDispatchData,
  GuildMemberFlags,
  GuildSystemChannelFlags,
  RoleFlags,
  UserFlags,
} from 'discord.js';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

// ---------------------------------------------------------------------------------------------
// Ids

const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

/** A fresh snowflake for now (19 digits today), unique within the process. */
export function snowflake(at: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | (1n << 12n) | snowflakeIncrement).toString();
}

/** Fixed ids the fake and the interaction builders share by default. */
export const FAKE_IDS = {
  /** Modern bots have the application's id as their user id. */
  application: '1310000000000000001',
  botUser: '1310000000000000001',
  guild: '1310000000000000100',
  /** The text channel `#general` of the first guild. */
  channel: '1310000000000000200',
  /** The member who invokes commands in the interaction builders. */
  member: '1310000000000000300',
} as const;

/** A token shaped like a real one: base64(user id).timestamp.hmac. Nothing checks the signature. */
export function fakeToken(botUserId: string = FAKE_IDS.botUser): string {
  return `${Buffer.from(botUserId).toString('base64url')}.GfAkEx.${'f'.repeat(38)}`;
}

export const FAKE_TOKEN = fakeToken();

// ---------------------------------------------------------------------------------------------
// Public types

export interface FakeDiscordOptions {
  applicationId?: string;
  botUserId?: string;
  /** Guilds the bot is in; default one guild, `FAKE_IDS.guild`. */
  guildIds?: readonly string[];
  /** The `#general` text channel of the first guild; default `FAKE_IDS.channel`. */
  channelId?: string;
  /** When set, bot routes and IDENTIFY accept only this token (401 / close 4004 otherwise). */
  token?: string;
  /** HELLO's heartbeat interval; Discord sends 41,250 ms. */
  heartbeatIntervalMs?: number;
  /** How long after dispatch a callback is still accepted (Discord: 3 s). */
  interactionDeadlineMs?: number;
}

/** The ids a test needs to build payloads that match this fake's guild. */
export interface FakeContext {
  applicationId: string;
  botUserId: string;
  guildId: string;
  channelId: string;
}

export interface RecordedRequest {
  method: string;
  /** As received, with the query: `/api/v10/interactions/…/callback?with_response=false`. */
  url: string;
  /** The route below `/api/v10` (or the full path if it does not start with it): `/gateway/bot`. */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names, as Node gives them; `headers.authorization` is `Bot <token>`. */
  headers: Record<string, string>;
  /** Parsed JSON (or `payload_json` of a multipart body), the raw text otherwise, `null` when empty. */
  body: unknown;
  /** The status the fake answered. */
  status: number;
  /** `performance.now()` when the body had been read. */
  at: number;
}

export interface CommandDeploy {
  route: string;
  scope: 'global' | string;
  body: unknown;
}

export interface IdentifyRecord {
  token: string;
  intents: number;
  properties: unknown;
  shard: unknown;
  compress: unknown;
  /** The whole `d` of the IDENTIFY payload. */
  d: Record<string, unknown>;
  /** `v`, `encoding`, `compress` the client put in the gateway URL. */
  query: Record<string, string>;
}

export interface ResumeRecord {
  token: string;
  sessionId: string;
  seq: number;
  /** Whether the fake knew the session (otherwise it answered INVALID_SESSION). */
  resumed: boolean;
}

export interface RecordedCallback {
  interactionId: string;
  token: string;
  body: unknown;
  /** 204 (200 with `?with_response=true`), or the error status the fake answered. */
  status: number;
  /** Milliseconds from the dispatch of INTERACTION_CREATE to the callback request. */
  ms: number;
  withResponse: boolean;
}

export interface InteractionReply {
  interactionId: string;
  /** The callback body the bot sent. Validate it with `expectValidCallback` before trusting it. */
  body: APIInteractionResponse;
  /** Milliseconds from the dispatch to the callback request. */
  ms: number;
  status: number;
  withResponse: boolean;
  request: RecordedRequest;
}

export interface WebhookRecord {
  method: string;
  applicationId: string;
  token: string;
  /** `@original`, a follow-up id, or `null` for a follow-up POST. */
  messageId: string | null;
  body: unknown;
  status: number;
  /** Milliseconds since the interaction was dispatched (NaN for an unknown token). */
  ms: number;
  request: RecordedRequest;
}

export interface Fault {
  /** Matched against the route below `/api/v10`, e.g. `/interactions/` or `/applications/`. */
  pathPrefix: string;
  method?: string;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail; default 1. */
  times?: number;
}

export interface FakeDiscordEvents {
  request: [RecordedRequest];
  connection: [{ query: Record<string, string> }];
  identify: [IdentifyRecord];
  resume: [ResumeRecord];
  gatewayClose: [{ code: number }];
  callback: [RecordedCallback];
  webhook: [WebhookRecord];
}

// ---------------------------------------------------------------------------------------------
// Internal state

interface Session {
  id: string;
  seq: number;
  /** `[shard id, shard count]` from IDENTIFY: which guilds' events this session receives. */
  shard: [number, number];
  /** Dispatches sent in this session, kept to replay on RESUME. */
  events: { s: number; t: string; d: unknown }[];
  connection: Connection | null;
}

interface Connection {
  socket: WebSocket;
  query: Record<string, string>;
  session: Session | null;
}

interface InteractionState {
  payload: APIInteraction;
  token: string;
  dispatchedAt: number;
  acknowledged: boolean;
  /** Messages the webhook routes serve: `@original` and follow-ups. */
  messages: Map<string, APIMessage>;
  originalId: string | null;
}

interface CallbackWaiter {
  resolve: (reply: InteractionReply) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface WebhookWaiter {
  resolve: (record: WebhookRecord) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface ActiveFault extends Fault {
  remaining: number;
}

type Json = Record<string, unknown>;

const API_PREFIX = '/api/v10';
const MAX_REPLAY = 1000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body['message']));
  }
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------

export class FakeDiscord extends EventEmitter<FakeDiscordEvents> {
  readonly applicationId: string;
  readonly botUserId: string;
  readonly guildIds: readonly string[];
  readonly channelId: string;
  /** The `#general` text channel of each guild, in `guildIds` order. */
  readonly channelIds: readonly string[];

  /** Every HTTP request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Bulk overwrites of application commands. */
  readonly commandDeploys: CommandDeploy[] = [];
  /** Every interaction callback, including rejected ones (second ack, too late, bad token). */
  readonly callbacks: RecordedCallback[] = [];
  /** Messages the bot posted to channels on its own. */
  readonly channelMessages: { channelId: string; body: unknown }[] = [];
  /** Channels where the bot lacks permission to post. */
  readonly forbiddenChannels = new Set<string>();
  /**
   * Channels besides each guild's `#general` (an announcement channel, a voice channel, another
   * guild's), by id: the bot may post in them unless forbidden, and `GET /channels/:id` shows them.
   */
  readonly extraChannels = new Map<string, { guildId: string; type: number; overwrites?: APIOverwrite[] }>();
  /** Roles of each guild besides @everyone (whose permissions are a plain member's), for the permission check. */
  readonly guildRoles = new Map<string, APIRole[]>();
  /** The roles the bot's member has in every guild. */
  botRoleIds: string[] = [];
  /** The first message of each `enforce_nonce` post, by channel and nonce. */
  private readonly sentByNonce = new Map<string, unknown>();
  /** Every request to `/webhooks/:app/:token…` (deferred edits, follow-ups). */
  readonly webhooks: WebhookRecord[] = [];
  readonly identifies: IdentifyRecord[] = [];
  readonly resumes: ResumeRecord[] = [];
  /** Every gateway payload received from clients (heartbeats included). */
  readonly gatewayReceived: { op: number; d: unknown }[] = [];
  /** Resolves with the first IDENTIFY. */
  readonly identified: Promise<IdentifyRecord>;

  private readonly options: FakeDiscordOptions;
  private readonly heartbeatIntervalMs: number;
  private readonly interactionDeadlineMs: number;
  private readonly botUser: APIUser;
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private port = 0;
  private readonly sockets = new Set<Socket>();
  private readonly connectionsOpen = new Set<Connection>();
  private readonly sessions = new Map<string, Session>();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly interactionsByToken = new Map<string, InteractionState>();
  private readonly callbackWaiters = new Map<string, CallbackWaiter>();
  private readonly webhookWaiters = new Map<string, WebhookWaiter[]>();
  private readonly webhookCursor = new Map<string, number>();
  private readonly commandsByScope = new Map<string, APIApplicationCommand[]>();
  private readonly faults: ActiveFault[] = [];
  private readonly delays: { pathPrefix: string; ms: number }[] = [];
  private readonly unknownRoutes = new WeakSet<RecordedRequest>();
  private resolveIdentified: (record: IdentifyRecord) => void = () => undefined;

  constructor(options: FakeDiscordOptions = {}) {
    super();
    this.options = options;
    this.applicationId = options.applicationId ?? FAKE_IDS.application;
    this.botUserId = options.botUserId ?? options.applicationId ?? FAKE_IDS.botUser;
    this.guildIds = options.guildIds ?? [FAKE_IDS.guild];
    this.channelId = options.channelId ?? FAKE_IDS.channel;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.interactionDeadlineMs = options.interactionDeadlineMs ?? 3_000;
    this.channelIds = this.guildIds.map((_, index) => (index === 0 ? this.channelId : snowflake()));
    for (const id of [this.applicationId, this.botUserId, this.channelId, ...this.guildIds]) {
      if (!/^\d{17,20}$/.test(id)) throw new Error(`FakeDiscord: '${id}' is not a snowflake (17–20 digits)`);
    }
    this.botUser = {
      id: this.botUserId,
      username: 'linkdex',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
      verified: true,
      mfa_enabled: true,
      flags: 0 as UserFlags,
      public_flags: 0 as UserFlags,
    };
    this.identified = new Promise((resolve) => {
      this.resolveIdentified = resolve;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle

  async start(): Promise<void> {
    if (this.server) throw new Error('FakeDiscord already started');
    const server = createServer((req, res) => void this.handleHttp(req, res));
    // Long enough for undici to reuse connections, as it does with Discord: it closes a socket it
    // may keep for less than a second (keepAliveTimeoutThreshold), so a 1 s server timeout made
    // every REST call open a new connection and cost ~0.2 ms more than against Discord.
    server.keepAliveTimeout = 30_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => this.handleConnection(ws, req));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.wss = wss;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Closes every gateway socket and HTTP connection. Destroy the discord.js client first. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const [id, waiter] of this.callbackWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`FakeDiscord stopped before interaction ${id} was answered`));
    }
    this.callbackWaiters.clear();
    for (const [token, waiters] of this.webhookWaiters) {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`FakeDiscord stopped before a webhook request for token ${token.slice(0, 12)}…`));
      }
    }
    this.webhookWaiters.clear();
    for (const connection of this.connectionsOpen) connection.socket.terminate();
    this.connectionsOpen.clear();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    this.wss = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** What discord.js's `rest.api` option and `DISCORD_API_URL` take; discord.js appends `/v10`. */
  get apiUrl(): string {
    return `${this.origin}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.requirePort()}`;
  }

  get context(): FakeContext {
    return { applicationId: this.applicationId, botUserId: this.botUserId, guildId: this.firstGuildId, channelId: this.channelId };
  }

  /** Open gateway sockets. */
  get connections(): number {
    return this.connectionsOpen.size;
  }

  /** Gateway sockets that identified or resumed and receive dispatches. */
  get identifiedConnections(): number {
    return [...this.connectionsOpen].filter((c) => c.session).length;
  }

  /** The commands the last bulk overwrite set for `'global'` or a guild id. */
  commands(scope: 'global' | string = 'global'): readonly APIApplicationCommand[] {
    return this.commandsByScope.get(scope) ?? [];
  }

  /** Requests the fake did not know (answered 404 `Unknown route`). */
  get unknownRequests(): RecordedRequest[] {
    return this.requests.filter((r) => this.unknownRoutes.has(r));
  }

  // -------------------------------------------------------------------------------------------
  // Fault and latency hooks

  /** The next matching request (or `times` of them) answers `status` without being handled. */
  failNext(pathPrefix: string, status: number, body?: unknown, headers?: Record<string, string>): void {
    const fault: Fault = { pathPrefix, status };
    if (body !== undefined) fault.body = body;
    if (headers !== undefined) fault.headers = headers;
    this.addFault(fault);
  }

  addFault(fault: Fault): void {
    this.faults.push({ ...fault, pathPrefix: stripApiPrefix(fault.pathPrefix), remaining: fault.times ?? 1 });
  }

  /** The next matching request waits `ms` before it is handled. */
  delayNext(pathPrefix: string, ms: number): void {
    this.delays.push({ pathPrefix: stripApiPrefix(pathPrefix), ms });
  }

  // -------------------------------------------------------------------------------------------
  // Gateway: sending

  /** Sends a dispatch to every identified gateway socket; returns how many received it. */
  dispatch(t: string, d: unknown): number {
    let sent = 0;
    // An event of a guild goes to the shard that has the guild; others (DMs) go to shard 0.
    const guildId = isRecord(d) && typeof d['guild_id'] === 'string' ? d['guild_id'] : undefined;
    for (const connection of this.connectionsOpen) {
      if (!connection.session) continue;
      const [shardId, shardCount] = connection.session.shard;
      if (shardCount > 1 && (guildId === undefined ? shardId !== 0 : shardOf(guildId, shardCount) !== shardId)) continue;
      this.sendDispatch(connection, t, d);
      sent++;
    }
    return sent;
  }

  /**
   * Sends INTERACTION_CREATE and resolves with the bot's callback (body, time taken), or rejects
   * after `timeoutMs` (default 5 s) if none came.
   */
  dispatchInteraction(payload: APIInteraction, options: { timeoutMs?: number } = {}): Promise<InteractionReply> {
    const timeoutMs = options.timeoutMs ?? 5_000;
    if (this.interactions.has(payload.id)) {
      return Promise.reject(new Error(`interaction ${payload.id} was already dispatched; build a fresh one`));
    }
    if (this.identifiedConnections === 0) {
      return Promise.reject(new Error('no identified gateway connection to dispatch INTERACTION_CREATE to'));
    }
    const promise = new Promise<InteractionReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.callbackWaiters.delete(payload.id);
        reject(
          new Error(
            `no callback for interaction ${payload.id} (type ${payload.type}${describeInteraction(payload)}) within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.callbackWaiters.set(payload.id, { resolve, reject, timer });
    });
    this.track(payload);
    this.dispatch('INTERACTION_CREATE', payload);
    return promise;
  }

  /** Starts following an interaction: from now on its callback and its token's webhook routes are accepted. */
  private track(payload: APIInteraction): InteractionState {
    const state: InteractionState = {
      payload,
      token: payload.token,
      dispatchedAt: performance.now(),
      acknowledged: false,
      messages: new Map(),
      originalId: null,
    };
    this.interactions.set(payload.id, state);
    this.interactionsByToken.set(payload.token, state);
    return state;
  }

  /**
   * An interaction Discord delivered to the bot's HTTP interactions endpoint instead of the
   * gateway, answered in the HTTP response with `callback`: from now on the webhook routes
   * accept its token as they do after a callback (a deferred edit of `@original`, follow-ups).
   * Call it as soon as the HTTP answer arrives, as Discord does.
   */
  acknowledgeOverHttp(payload: APIInteraction, callback: unknown): void {
    if (this.interactions.has(payload.id)) throw new Error(`interaction ${payload.id} is already known; build a fresh one`);
    if (!isRecord(callback) || typeof callback['type'] !== 'number') throw new Error('the HTTP answer is not an interaction callback');
    const state = this.track(payload);
    this.acknowledge(state, callback);
  }

  /**
   * Resolves with the next webhook request (deferred edit, follow-up) for this interaction token
   * that no earlier call returned, including ones that arrived before this call.
   */
  waitForWebhook(token: string, options: { timeoutMs?: number } = {}): Promise<WebhookRecord> {
    const timeoutMs = options.timeoutMs ?? 5_000;
    const cursor = this.webhookCursor.get(token) ?? 0;
    const forToken = this.webhooks.filter((w) => w.token === token);
    const already = forToken[cursor];
    if (already) {
      this.webhookCursor.set(token, cursor + 1);
      return Promise.resolve(already);
    }
    return new Promise<WebhookRecord>((resolve, reject) => {
      const waiter: WebhookWaiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const list = this.webhookWaiters.get(token) ?? [];
          this.webhookWaiters.set(
            token,
            list.filter((w) => w !== waiter),
          );
          reject(new Error(`no webhook request for interaction token ${token.slice(0, 12)}… within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      const list = this.webhookWaiters.get(token) ?? [];
      list.push(waiter);
      this.webhookWaiters.set(token, list);
    });
  }

  /** Op 7: every identified client should disconnect and RESUME. */
  requestReconnect(): void {
    for (const connection of this.connectionsOpen) this.send(connection, { op: 7, d: null });
  }

  /** Op 9: the session is invalid; `resumable` is `d`. */
  invalidateSession(resumable = false): void {
    for (const connection of this.connectionsOpen) this.send(connection, { op: 9, d: resumable });
  }

  /** Closes every gateway socket with `code` (4000 lets the client resume, 4004 does not). */
  closeGateway(code = 4000, reason = 'closed by FakeDiscord'): void {
    for (const connection of this.connectionsOpen) connection.socket.close(code, reason);
  }

  // -------------------------------------------------------------------------------------------
  // Gateway: receiving

  private handleConnection(socket: WebSocket, req: IncomingMessage): void {
    const query = Object.fromEntries(new URL(req.url ?? '/', this.origin).searchParams);
    const connection: Connection = { socket, query, session: null };
    this.connectionsOpen.add(connection);
    this.emit('connection', { query });
    socket.on('message', (data, isBinary) => this.handleGatewayMessage(connection, data, isBinary));
    socket.on('close', (code) => {
      this.connectionsOpen.delete(connection);
      if (connection.session?.connection === connection) connection.session.connection = null;
      this.emit('gatewayClose', { code });
    });
    socket.on('error', () => undefined);
    this.send(connection, { op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs } });
  }

  private handleGatewayMessage(connection: Connection, data: RawData, isBinary: boolean): void {
    let payload: unknown;
    try {
      payload = JSON.parse(isBinary ? '' : rawToString(data));
    } catch {
      connection.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    if (!isRecord(payload) || typeof payload['op'] !== 'number') {
      connection.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    const op = payload['op'];
    const d = payload['d'];
    this.gatewayReceived.push({ op, d });
    switch (op) {
      case 1:
        this.send(connection, { op: 11 });
        return;
      case 2:
        this.handleIdentify(connection, d);
        return;
      case 6:
        this.handleResume(connection, d);
        return;
      case 3: // presence update
      case 4: // voice state update
      case 8: // request guild members
        if (!connection.session) connection.socket.close(4003, 'Not authenticated.');
        return;
      default:
        connection.socket.close(4001, 'Unknown opcode.');
    }
  }

  private handleIdentify(connection: Connection, d: unknown): void {
    if (connection.session) {
      connection.socket.close(4005, 'Already authenticated.');
      return;
    }
    if (!isRecord(d) || typeof d['token'] !== 'string' || typeof d['intents'] !== 'number') {
      connection.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    const record: IdentifyRecord = {
      token: d['token'],
      intents: d['intents'],
      properties: d['properties'],
      shard: d['shard'],
      compress: d['compress'],
      d,
      query: connection.query,
    };
    this.identifies.push(record);
    this.emit('identify', record);
    if (this.options.token !== undefined && record.token !== this.options.token) {
      connection.socket.close(4004, 'Authentication failed.');
      return;
    }
    const shard = Array.isArray(d['shard']) ? (d['shard'] as [number, number]) : ([0, 1] as [number, number]);
    const session: Session = { id: randomHex(16), seq: 0, events: [], connection, shard };
    this.sessions.set(session.id, session);
    connection.session = session;
    // Discord gives each shard the guilds whose (id >> 22) % shard count is its shard id.
    const mine = this.guildIds.filter((id) => shardOf(id, shard[1]) === shard[0]);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.botUser,
      guilds: mine.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.gatewayUrl,
      shard,
      application: { id: this.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.sendDispatch(connection, 'READY', ready);
    this.guildIds.forEach((id, index) => {
      if (mine.includes(id)) this.sendDispatch(connection, 'GUILD_CREATE', this.guildCreate(id, index));
    });
    this.resolveIdentified(record);
  }

  private handleResume(connection: Connection, d: unknown): void {
    if (!isRecord(d) || typeof d['session_id'] !== 'string' || typeof d['token'] !== 'string') {
      connection.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    const seq = typeof d['seq'] === 'number' ? d['seq'] : 0;
    const session = this.sessions.get(d['session_id']);
    const tokenOk = this.options.token === undefined || d['token'] === this.options.token;
    const record: ResumeRecord = { token: d['token'], sessionId: d['session_id'], seq, resumed: Boolean(session) && tokenOk };
    this.resumes.push(record);
    this.emit('resume', record);
    if (!session || !tokenOk) {
      this.send(connection, { op: 9, d: false });
      return;
    }
    if (session.connection && session.connection !== connection) session.connection.socket.close(4000, 'Session resumed elsewhere');
    session.connection = connection;
    connection.session = session;
    for (const event of session.events) {
      if (event.s > seq) this.send(connection, { op: 0, t: event.t, s: event.s, d: event.d });
    }
    this.sendDispatch(connection, 'RESUMED', null);
  }

  private sendDispatch(connection: Connection, t: string, d: unknown): void {
    const session = connection.session;
    if (!session) throw new Error(`cannot dispatch ${t} before IDENTIFY`);
    session.seq += 1;
    session.events.push({ s: session.seq, t, d });
    if (session.events.length > MAX_REPLAY) session.events.shift();
    this.send(connection, { op: 0, t, s: session.seq, d });
  }

  private send(connection: Connection, payload: { op: number; d?: unknown; s?: number | null; t?: string | null }): void {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    connection.socket.send(JSON.stringify({ t: null, s: null, d: null, ...payload }));
  }

  // -------------------------------------------------------------------------------------------
  // Guild

  private guildCreate(guildId: string, index: number): GatewayGuildCreateDispatchData {
    const channelId = this.channelIds[index] ?? this.channelId;
    const everyone = this.everyoneRole(guildId);
    const botMember = this.botMember();
    const general = {
      id: channelId,
      type: 0,
      guild_id: guildId,
      name: 'general',
      position: 0,
      permission_overwrites: [],
      parent_id: null,
      topic: null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0 as ChannelFlags,
    } satisfies APIChannel;
    return {
      id: guildId,
      name: index === 0 ? 'Linkdex Test Server' : `Linkdex Test Server ${index + 1}`,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      owner_id: FAKE_IDS.member,
      region: 'deprecated',
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 1,
      default_message_notifications: 1,
      explicit_content_filter: 2,
      roles: [everyone],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: channelId,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      max_presences: null,
      max_members: 25_000_000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: 'en-US' as GatewayGuildCreateDispatchData['preferred_locale'],
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      incidents_data: null,
      hub_type: null,
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 42,
      voice_states: [],
      members: [botMember],
      channels: [general],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /** @everyone of `guildId`: a plain member's permissions (view, send, embed links…). */
  private everyoneRole(guildId: string): APIRole {
    return {
      id: guildId,
      name: '@everyone',
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: 0,
      permissions: '2248473465835073',
      managed: false,
      mentionable: false,
      flags: 0 as RoleFlags,
    };
  }

  /** The bot's own member in every guild, with `botRoleIds`. */
  private botMember(): APIGuildMember {
    return {
      user: this.botUser,
      nick: null,
      avatar: null,
      banner: null,
      roles: [...this.botRoleIds],
      joined_at: new Date().toISOString(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
  }

  /** `GET /channels/:id`: a guild's `#general` or one of `extraChannels`, with its overwrites. */
  private channel(record: RecordedRequest, channelId: string): { status: number; body: unknown } {
    this.requireBot(record);
    const index = this.channelIds.indexOf(channelId);
    const extra = this.extraChannels.get(channelId);
    const guildId = index >= 0 ? this.guildIds[index] : extra?.guildId;
    if (guildId === undefined) throw new HttpError(404, { message: 'Unknown Channel', code: 10003 });
    return {
      status: 200,
      body: {
        id: channelId,
        type: extra?.type ?? 0,
        guild_id: guildId,
        name: index >= 0 ? 'general' : 'channel',
        position: 0,
        permission_overwrites: extra?.overwrites ?? [],
        parent_id: null,
        nsfw: false,
        flags: 0,
      },
    };
  }

  /** `GET /guilds/:id/roles` and `GET /guilds/:id/members/:user` (the bot's own member only). */
  private guildRoute(record: RecordedRequest, guildId: string, rest: string[]): { status: number; body: unknown } {
    this.requireBot(record);
    if (!this.guildIds.includes(guildId)) throw new HttpError(404, { message: 'Unknown Guild', code: 10004 });
    if (rest.length === 1 && rest[0] === 'roles')
      return { status: 200, body: [this.everyoneRole(guildId), ...(this.guildRoles.get(guildId) ?? [])] };
    if (rest.length === 2 && rest[0] === 'members' && rest[1] === this.botUserId) return { status: 200, body: this.botMember() };
    if (rest.length === 2 && rest[0] === 'members') throw new HttpError(404, { message: 'Unknown Member', code: 10007 });
    throw unknownRoute();
  }

  private get firstGuildId(): string {
    const id = this.guildIds[0];
    if (id === undefined) throw new Error('FakeDiscord has no guild');
    return id;
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  private get origin(): string {
    return `http://127.0.0.1:${this.requirePort()}`;
  }

  private requirePort(): number {
    if (!this.port) throw new Error('FakeDiscord is not started');
    return this.port;
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const path = stripApiPrefix(url.pathname);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      path,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: null,
      status: 0,
      at: 0,
    };
    let status: number;
    let body: unknown;
    let extraHeaders: Record<string, string> = {};
    try {
      const raw = await readBody(req);
      record.at = performance.now();
      this.requests.push(record);
      record.body = await parseBody(raw, headers['content-type']);
      const delay = this.takeDelay(path);
      if (delay) await sleep(delay);
      const fault = this.takeFault(record.method, path);
      if (fault) {
        status = fault.status;
        body = fault.body ?? defaultFaultBody(fault.status);
        extraHeaders = fault.headers ?? defaultFaultHeaders(fault.status);
      } else if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
        throw unknownRoute();
      } else {
        const result = this.route(record, url.searchParams);
        status = result.status;
        body = result.body;
      }
    } catch (error) {
      if (error instanceof HttpError) {
        status = error.status;
        body = error.body;
      } else if (record.body === null && error instanceof SyntaxError) {
        status = 400;
        body = { message: 'The request body contains invalid JSON.', code: 50109 };
      } else {
        status = 500;
        body = { message: `FakeDiscord: ${error instanceof Error ? error.message : String(error)}`, code: 0 };
      }
    }
    record.status = status;
    if (!this.requests.includes(record)) this.requests.push(record);
    if (isRecord(body) && body['message'] === UNKNOWN_ROUTE) this.unknownRoutes.add(record);
    this.emit('request', record);
    if (status === 204 || body === undefined) {
      res.writeHead(status, extraHeaders);
      res.end();
    } else {
      res.writeHead(status, { 'content-type': 'application/json', ...extraHeaders });
      res.end(JSON.stringify(body));
    }
  }

  private takeFault(method: string, path: string): ActiveFault | undefined {
    const index = this.faults.findIndex((f) => path.startsWith(f.pathPrefix) && (!f.method || f.method.toUpperCase() === method));
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private takeDelay(path: string): number {
    const index = this.delays.findIndex((d) => path.startsWith(d.pathPrefix));
    const delay = this.delays[index];
    if (!delay) return 0;
    this.delays.splice(index, 1);
    return delay.ms;
  }

  private route(record: RecordedRequest, query: URLSearchParams): { status: number; body?: unknown } {
    const { method, path } = record;
    const segments = path.split('/').slice(1).map(decodeURIComponent);
    const [first, second, third, fourth, fifth] = segments;

    if (method === 'GET' && path === '/gateway') return { status: 200, body: { url: this.gatewayUrl } };
    if (method === 'GET' && path === '/gateway/bot') {
      this.requireBot(record);
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        },
      };
    }
    if (method === 'GET' && decodeURIComponent(path) === '/users/@me') {
      this.requireBot(record);
      return { status: 200, body: this.botUser };
    }
    if (method === 'GET' && path === '/applications/@me') {
      this.requireBot(record);
      return { status: 200, body: this.application() };
    }
    if (first === 'applications' && second !== undefined && method === 'PUT') {
      if (third === 'commands' && segments.length === 3) return this.bulkOverwrite(record, second, 'global');
      if (third === 'guilds' && fourth !== undefined && fifth === 'commands' && segments.length === 5) {
        return this.bulkOverwrite(record, second, fourth);
      }
    }
    if (first === 'interactions' && second !== undefined && third !== undefined && fourth === 'callback' && segments.length === 4) {
      if (method === 'POST') return this.interactionCallback(record, second, third, query.get('with_response') === 'true');
    }
    if (first === 'channels' && second !== undefined && segments.length === 2 && method === 'GET') return this.channel(record, second);
    if (first === 'guilds' && second !== undefined && segments.length > 2 && method === 'GET') {
      return this.guildRoute(record, second, segments.slice(2));
    }
    if (first === 'channels' && second !== undefined && third === 'messages' && segments.length === 3 && method === 'POST') {
      return this.channelMessage(record, second);
    }
    if (first === 'webhooks' && second !== undefined && third !== undefined) {
      if (segments.length === 3 && method === 'POST') return this.webhook(record, second, third, null);
      if (segments.length === 5 && fourth === 'messages' && fifth !== undefined && ['GET', 'PATCH', 'DELETE'].includes(method)) {
        return this.webhook(record, second, third, fifth);
      }
    }
    throw unknownRoute();
  }

  /**
   * `POST /channels/:id/messages`: the bot posting on its own (the daily link). The guild's
   * channels accept it, a channel in `forbiddenChannels` answers 403 Missing Permissions, any
   * other id 404 Unknown Channel, as Discord does.
   */
  private channelMessage(record: RecordedRequest, channelId: string): { status: number; body: unknown } {
    this.requireBot(record);
    if (this.forbiddenChannels.has(channelId)) throw new HttpError(403, { message: 'Missing Permissions', code: 50013 });
    if (!this.channelIds.includes(channelId) && !this.extraChannels.has(channelId)) {
      throw new HttpError(404, { message: 'Unknown Channel', code: 10003 });
    }
    // `enforce_nonce`: a second message with the same nonce is not posted; Discord answers with the first.
    const body = isRecord(record.body) ? record.body : {};
    const nonce = body['enforce_nonce'] === true ? body['nonce'] : undefined;
    const first = nonce === undefined ? undefined : this.sentByNonce.get(`${channelId}:${String(nonce)}`);
    if (first) return { status: 200, body: first };
    this.channelMessages.push({ channelId, body: record.body });
    const message = { id: snowflake(), channel_id: channelId, ...body };
    if (nonce !== undefined) this.sentByNonce.set(`${channelId}:${String(nonce)}`, message);
    return { status: 200, body: message };
  }

  private requireBot(record: RecordedRequest): void {
    const authorization = record.headers['authorization'];
    const token = authorization?.startsWith('Bot ') ? authorization.slice(4) : undefined;
    if (!token || (this.options.token !== undefined && token !== this.options.token)) {
      throw new HttpError(401, { message: '401: Unauthorized', code: 0 });
    }
  }

  private application(): Json {
    return {
      id: this.applicationId,
      name: 'linkdex',
      icon: null,
      description: '',
      summary: '',
      type: null,
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      flags_new: '0',
      owner: { id: FAKE_IDS.member, username: 'owner', discriminator: '0', global_name: null, avatar: null, public_flags: 0, flags: 0 },
      team: null,
      bot: this.botUser,
      approximate_guild_count: this.guildIds.length,
      interactions_endpoint_url: null,
      redirect_uris: [],
      tags: [],
    };
  }

  private bulkOverwrite(record: RecordedRequest, applicationId: string, scope: string): { status: number; body: unknown } {
    this.requireBot(record);
    if (applicationId !== this.applicationId) throw new HttpError(403, { message: 'Missing Access', code: 50001 });
    if (scope !== 'global' && !this.guildIds.includes(scope)) throw new HttpError(403, { message: 'Missing Access', code: 50001 });
    this.commandDeploys.push({ route: record.path, scope, body: record.body });
    if (!Array.isArray(record.body)) {
      throw new HttpError(400, {
        message: 'Invalid Form Body',
        code: 50035,
        errors: { _errors: [{ code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' }] },
      });
    }
    const previous = new Map((this.commandsByScope.get(scope) ?? []).map((c) => [`${c.type}:${c.name}`, c]));
    const commands = record.body.map((raw: unknown) => {
      const command = isRecord(raw) ? raw : {};
      const type = typeof command['type'] === 'number' ? command['type'] : 1;
      const name = String(command['name']);
      const existing = previous.get(`${type}:${name}`);
      const echoed: Json = {
        id: existing?.id ?? snowflake(),
        application_id: this.applicationId,
        version: snowflake(),
        default_member_permissions: null,
        type,
        name,
        name_localizations: null,
        description: '',
        description_localizations: null,
        dm_permission: true,
        contexts: null,
        integration_types: [0],
        nsfw: false,
        ...command,
      };
      if (scope !== 'global') echoed['guild_id'] = scope;
      return echoed as unknown as APIApplicationCommand;
    });
    this.commandsByScope.set(scope, commands);
    return { status: 200, body: commands };
  }

  private interactionCallback(
    record: RecordedRequest,
    interactionId: string,
    token: string,
    withResponse: boolean,
  ): { status: number; body?: unknown } {
    const state = this.interactions.get(interactionId);
    const ms = state ? record.at - state.dispatchedAt : Number.NaN;
    const callback: RecordedCallback = { interactionId, token, body: record.body, status: 0, ms, withResponse };
    const settle = (status: number): void => {
      callback.status = status;
      this.callbacks.push(callback);
      this.emit('callback', callback);
      const waiter = this.callbackWaiters.get(interactionId);
      if (!waiter) return;
      this.callbackWaiters.delete(interactionId);
      clearTimeout(waiter.timer);
      waiter.resolve({ interactionId, body: record.body as unknown as APIInteractionResponse, ms, status, withResponse, request: record });
    };
    const fail = (status: number, body: Json, answersInteraction: boolean): never => {
      if (answersInteraction) {
        settle(status);
      } else {
        callback.status = status;
        this.callbacks.push(callback);
        this.emit('callback', callback);
      }
      throw new HttpError(status, body);
    };
    if (!state) return fail(404, { message: 'Unknown interaction', code: 10062 }, false);
    if (state.token !== token) return fail(401, { message: 'Invalid Webhook Token', code: 50027 }, false);
    if (state.acknowledged) return fail(400, { message: 'Interaction has already been acknowledged.', code: 40060 }, false);
    // Too late: the bot did answer, so dispatchInteraction resolves, with status 404.
    if (ms > this.interactionDeadlineMs) return fail(404, { message: 'Unknown interaction', code: 10062 }, true);
    if (!isRecord(record.body) || typeof record.body['type'] !== 'number') {
      return fail(400, { message: 'Invalid Form Body', code: 50035 }, true);
    }
    const type = record.body['type'];
    const message = this.acknowledge(state, record.body);
    const status = withResponse ? 200 : 204;
    settle(status);
    if (!withResponse) return { status };
    return {
      status,
      body: {
        interaction: {
          id: interactionId,
          type: state.payload.type,
          response_message_id: message?.id,
          response_message_loading: type === 5,
          response_message_ephemeral: ((message?.flags ?? 0) & 64) === 64,
        },
        resource: message ? { type, message } : { type },
      },
    };
  }

  /** Marks the interaction answered by `body` (a callback), and makes the message it creates or updates. */
  private acknowledge(state: InteractionState, body: Json): APIMessage | undefined {
    state.acknowledged = true;
    const type = body['type'];
    const data = isRecord(body['data']) ? body['data'] : {};
    let message: APIMessage | undefined;
    if (type === 4 || type === 5) {
      const id = snowflake();
      message = this.message(state, id, type === 5 ? { ...data, content: '', flags: Number(data['flags'] ?? 0) | 128 } : data);
      state.originalId = id;
      state.messages.set(id, message);
    } else if ((type === 6 || type === 7) && state.payload.message) {
      const original = state.payload.message;
      message =
        type === 7 ? ({ ...original, ...pickMessageFields(data), edited_timestamp: new Date().toISOString() } as APIMessage) : original;
      state.originalId = original.id;
      state.messages.set(original.id, message);
    }
    return message;
  }

  private webhook(
    record: RecordedRequest,
    applicationId: string,
    token: string,
    messageRef: string | null,
  ): { status: number; body?: unknown } {
    const state = this.interactionsByToken.get(token);
    const entry: WebhookRecord = {
      method: record.method,
      applicationId,
      token,
      messageId: messageRef,
      body: record.body,
      status: 0,
      ms: state ? record.at - state.dispatchedAt : Number.NaN,
      request: record,
    };
    const result = (): { status: number; body?: unknown } => {
      if (!state || applicationId !== this.applicationId) throw new HttpError(404, { message: 'Unknown Webhook', code: 10015 });
      if (!state.acknowledged) throw new HttpError(404, { message: 'Unknown Message', code: 10008 });
      const data = isRecord(record.body) ? record.body : {};
      if (messageRef === null) {
        const id = snowflake();
        const message = this.message(state, id, data);
        state.messages.set(id, message);
        return { status: 200, body: message };
      }
      const id = messageRef === '@original' ? state.originalId : messageRef;
      const existing = id === null ? undefined : state.messages.get(id);
      if (!existing || id === null) throw new HttpError(404, { message: 'Unknown Message', code: 10008 });
      if (record.method === 'GET') return { status: 200, body: existing };
      if (record.method === 'DELETE') {
        state.messages.delete(id);
        return { status: 204 };
      }
      const flags = existing.flags !== undefined ? existing.flags & ~128 : 0;
      const edited = { ...existing, ...pickMessageFields(data), flags, edited_timestamp: new Date().toISOString() } as APIMessage;
      state.messages.set(id, edited);
      return { status: 200, body: edited };
    };
    try {
      const answer = result();
      entry.status = answer.status;
      return answer;
    } catch (error) {
      entry.status = error instanceof HttpError ? error.status : 500;
      throw error;
    } finally {
      this.webhooks.push(entry);
      this.emit('webhook', entry);
      this.deliverWebhook(entry);
    }
  }

  private deliverWebhook(entry: WebhookRecord): void {
    const waiters = this.webhookWaiters.get(entry.token);
    const waiter = waiters?.shift();
    if (!waiter) return;
    clearTimeout(waiter.timer);
    this.webhookCursor.set(entry.token, (this.webhookCursor.get(entry.token) ?? 0) + 1);
    waiter.resolve(entry);
  }

  /** A message as Discord returns it for an interaction response or follow-up. */
  private message(state: InteractionState, id: string, data: Json): APIMessage {
    const payload = state.payload;
    const user = payload.member?.user ?? payload.user;
    const base = {
      id,
      type: payload.type === 2 ? 20 : 0,
      channel_id: payload.channel?.id ?? payload.channel_id ?? this.channelId,
      author: this.botUser,
      content: '',
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 0,
      webhook_id: this.applicationId,
      application_id: this.applicationId,
      position: 0,
      ...(user
        ? {
            interaction_metadata: {
              id: payload.id,
              type: payload.type,
              user,
              authorizing_integration_owners: payload.authorizing_integration_owners,
            },
          }
        : {}),
    };
    return { ...base, ...pickMessageFields(data) } as APIMessage;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const MESSAGE_FIELDS = ['content', 'embeds', 'components', 'flags', 'attachments', 'poll', 'tts'] as const;

function pickMessageFields(data: Json): Json {
  const picked: Json = {};
  for (const field of MESSAGE_FIELDS) {
    if (data[field] !== undefined && data[field] !== null) picked[field] = data[field];
  }
  return picked;
}

function stripApiPrefix(path: string): string {
  return path === API_PREFIX ? '/' : path.startsWith(`${API_PREFIX}/`) ? path.slice(API_PREFIX.length) : path;
}

const UNKNOWN_ROUTE = 'Unknown route';

/** The shard a guild belongs to, by Discord's rule. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

function unknownRoute(): HttpError {
  return new HttpError(404, { message: UNKNOWN_ROUTE, code: 0 });
}

function describeInteraction(payload: APIInteraction): string {
  const data: unknown = 'data' in payload ? payload.data : undefined;
  if (isRecord(data) && typeof data['name'] === 'string') return `, /${data['name']}`;
  if (isRecord(data) && typeof data['custom_id'] === 'string') return `, custom_id ${data['custom_id']}`;
  return '';
}

function defaultFaultBody(status: number): Json {
  if (status === 429) return { message: 'You are being rate limited.', retry_after: 0.05, global: false, code: 0 };
  if (status === 401) return { message: '401: Unauthorized', code: 0 };
  if (status === 403) return { message: 'Missing Access', code: 50001 };
  if (status === 404) return { message: 'Unknown Interaction', code: 10062 };
  return { message: `${status}: Fake failure`, code: 0 };
}

function defaultFaultHeaders(status: number): Record<string, string> {
  if (status === 429) return { 'retry-after': '0.05', 'x-ratelimit-scope': 'user' };
  return {};
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function randomHex(bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++)
    out += Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0');
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function parseBody(raw: Buffer, contentType: string | undefined): Promise<unknown> {
  if (raw.length === 0) return null;
  if (contentType?.startsWith('application/json')) return JSON.parse(raw.toString('utf8')) as unknown;
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const payload = form.get('payload_json');
    return typeof payload === 'string' ? (JSON.parse(payload) as unknown) : Object.fromEntries(form.entries());
  }
  return raw.toString('utf8');
}
