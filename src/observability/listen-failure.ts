/** Where a server tried to listen, besides its port. */
export interface ListenPlace {
  /**
   * The address, when HOST chose it: it is named, and HOST is the variable to change when it is
   * not an address of this machine. Absent for a server that listens on every address.
   */
  host?: string;
  /** Said after the port, e.g. how a shard's port was derived: ` (METRICS_PORT 79 + shard 1)`. */
  note?: string;
}

/** Errors that mean the address itself is wrong: no interface of this machine has it, or it does not resolve. */
const NO_SUCH_ADDRESS = new Set(['EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Why a server could not listen, in one line that starts with the variable to change: an
 * EADDRINUSE stack says neither which setting to change nor that another process holds the port.
 * `place` is the note alone (a string), or the address and the note.
 */
export function listenFailure(error: unknown, port: number, variable: string, place: string | ListenPlace = {}): string {
  const { host, note = '' } = typeof place === 'string' ? { note: place } : place;
  const code = (error as { code?: unknown } | undefined)?.code;
  const which = `port ${port}${note}${host === undefined ? '' : ` on ${host}`}`;
  if (code === 'EADDRINUSE') return `${variable}: ${which} is already in use; stop what listens there or choose another ${variable}`;
  if (code === 'EACCES') return `${variable}: ${which} needs privileges this process does not have; choose a ${variable} above 1023`;
  if (host !== undefined && NO_SUCH_ADDRESS.has(code as string))
    return `HOST: ${host} is not an address of this machine; set HOST to one of its addresses (0.0.0.0 for all)`;
  const message = error instanceof Error ? error.message : String(error);
  return `${variable}: cannot listen on ${which}: ${message}`;
}
