import type { SettingsReader } from '../commands/command.js';
import type { Logger } from '../logger.js';
import type { GuildSettings, Storage } from '../storage/storage.js';

/**
 * Each server's settings as last read, so answering an interaction makes no database round trip:
 * a server is read once, then served from memory until a save (here or, on PostgreSQL, in another
 * process) says it changed. A database that goes away leaves what was read in place: answers go
 * on from it.
 */
export class SettingsCache implements SettingsReader {
  /** A server read, and what it had (undefined: no settings of its own). */
  private readonly known = new Map<string, GuildSettings | undefined>();
  /** Reads under way, so many interactions of one server wait for one read. */
  private readonly reading = new Map<string, Promise<GuildSettings | undefined>>();
  private readonly unsubscribe: () => void;
  /** Until then, serving does not wait on a database that just failed. */
  private unavailableUntil = 0;

  constructor(
    private readonly storage: Storage,
    private readonly logger: Pick<Logger, 'warn'>,
    /** Servers remembered at most; the least recently read are forgotten first (and read again when needed). */
    private readonly maxGuilds = 100_000,
    /** After a failed read, how long serving goes on with the defaults before asking the database again. */
    private readonly retryAfterMs = 10_000,
  ) {
    this.unsubscribe = storage.onSettingsChanged((guildId) => this.forget(guildId));
  }

  /** The server's settings, from memory when read before. Rejects (StorageUnavailable) only when never read and the database is away. */
  get(guildId: string): Promise<GuildSettings | undefined> {
    if (this.known.has(guildId)) return Promise.resolve(this.known.get(guildId));
    const pending = this.reading.get(guildId);
    if (pending) return pending;
    const read = this.storage.settings(guildId).then(
      (settings) => {
        // A change heard while reading makes this read stale: the next interaction reads again.
        if (this.reading.get(guildId) === read) {
          this.reading.delete(guildId);
          this.remember(guildId, settings);
        }
        return settings;
      },
      (error: unknown) => {
        if (this.reading.get(guildId) === read) this.reading.delete(guildId);
        throw error;
      },
    );
    this.reading.set(guildId, read);
    return read;
  }

  /** The server's settings when already read (`found` false: never read, or forgotten since). Synchronous: no promise per interaction. */
  peek(guildId: string): { found: true; settings: GuildSettings | undefined } | { found: false } {
    return this.known.has(guildId) ? { found: true, settings: this.known.get(guildId) } : { found: false };
  }

  /**
   * The server's settings for serving (its cooldown): what `get` gives, or, when the database
   * cannot be reached and they were never read, none (the defaults). After a failed read the
   * database is not asked again for `retryAfterMs`, so a database that hangs does not hold up
   * every interaction; logged at most once in that time.
   */
  async forServing(guildId: string): Promise<GuildSettings | undefined> {
    if (Date.now() < this.unavailableUntil) return undefined;
    try {
      return await this.get(guildId);
    } catch (error) {
      if (Date.now() >= this.unavailableUntil) {
        this.logger.warn({ err: error, guild: guildId }, "cannot read servers' settings; their members get the default cooldown meanwhile");
      }
      this.unavailableUntil = Date.now() + this.retryAfterMs;
      return undefined;
    }
  }

  saved(settings: GuildSettings): void {
    this.reading.delete(settings.guildId);
    this.remember(settings.guildId, settings);
  }

  /** Drops a server's settings: the next interaction reads them again. */
  forget(guildId: string): void {
    this.known.delete(guildId);
    this.reading.delete(guildId);
  }

  /** Reads every server with settings at once (at start), so the first interactions need no read. */
  async preload(): Promise<void> {
    const all = await this.storage.allSettings();
    for (const settings of all) this.remember(settings.guildId, settings);
  }

  close(): void {
    this.unsubscribe();
  }

  get size(): number {
    return this.known.size;
  }

  private remember(guildId: string, settings: GuildSettings | undefined): void {
    this.known.delete(guildId);
    this.known.set(guildId, settings);
    if (this.known.size > this.maxGuilds) this.known.delete(this.known.keys().next().value as string);
  }
}
