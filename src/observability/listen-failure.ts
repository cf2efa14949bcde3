/**
 * Why a server could not listen, naming the variable that chose the port: an EADDRINUSE stack
 * says neither which setting to change nor that another process holds the port.
 */
export function listenFailure(error: unknown, port: number, variable: string, note = ''): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const which = `port ${port}${note}`;
  if (code === 'EADDRINUSE') return `${variable}: ${which} is already in use; stop what listens there or choose another ${variable}`;
  if (code === 'EACCES') return `${variable}: ${which} needs privileges this process does not have; choose a ${variable} above 1023`;
  const message = error instanceof Error ? error.message : String(error);
  return `${variable}: cannot listen on ${which}: ${message}`;
}
