import { StorageUnavailable, type Storage } from './storage.js';

/**
 * A storage still opening, usable at once: each call waits for the opening, then goes to the
 * storage opened. It lets a bot start connecting while its database opens (loading the query
 * builder and migrating take a good part of a start), and answer nothing that needs the
 * database before it is open. When the opening fails, every call rejects with StorageUnavailable.
 */
export class OpeningStorage implements Storage {
  /** Resolves once open; rejects with why it could not be. */
  readonly opened: Promise<Storage>;
  private readonly listeners = new Set<(guildId: string) => void>();

  constructor(
    readonly kind: Storage['kind'],
    readonly description: string,
    open: () => Promise<Storage>,
  ) {
    this.opened = open();
    this.opened.then(
      (storage) => storage.onSettingsChanged((guildId) => this.listeners.forEach((listener) => listener(guildId))),
      () => undefined,
    );
  }

  private async use<T>(call: (storage: Storage) => Promise<T>): Promise<T> {
    let storage: Storage;
    try {
      storage = await this.opened;
    } catch (error) {
      throw error instanceof StorageUnavailable
        ? error
        : new StorageUnavailable(`the ${this.description} could not be opened: ${(error as Error).message}`, { cause: error });
    }
    return call(storage);
  }

  settings: Storage['settings'] = (guildId) => this.use((s) => s.settings(guildId));
  allSettings: Storage['allSettings'] = () => this.use((s) => s.allSettings());
  saveSettings: Storage['saveSettings'] = (settings) => this.use((s) => s.saveSettings(settings));
  deleteGuild: Storage['deleteGuild'] = (guildId) => this.use((s) => s.deleteGuild(guildId));
  claimDaily: Storage['claimDaily'] = (guildId, day, now, staleAfterMs) => this.use((s) => s.claimDaily(guildId, day, now, staleAfterMs));
  dailyPosted: Storage['dailyPosted'] = (guildId, day, now) => this.use((s) => s.dailyPosted(guildId, day, now));
  releaseDaily: Storage['releaseDaily'] = (guildId, day) => this.use((s) => s.releaseDaily(guildId, day));
  takeCooldown: Storage['takeCooldown'] = (key, now, limit, windowMs) => this.use((s) => s.takeCooldown(key, now, limit, windowMs));
  exportState: Storage['exportState'] = () => this.use((s) => s.exportState());
  importState: Storage['importState'] = (dump) => this.use((s) => s.importState(dump));

  onSettingsChanged(listener: (guildId: string) => void): () => void {
    const wrapped = (guildId: string) => listener(guildId);
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  ping(): Promise<boolean> {
    return this.use((s) => s.ping()).catch(() => false);
  }

  async close(): Promise<void> {
    const storage = await this.opened.catch(() => undefined);
    await storage?.close();
  }
}
