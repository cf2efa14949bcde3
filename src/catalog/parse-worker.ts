/**
 * The worker side of `BudgetedParser`: parses one file per message and posts the page back. It
 * says `ready` once the parser is loaded, so the time that takes does not count against a file.
 */
import { parentPort } from 'node:worker_threads';
import type { ParseReply, ParseRequest } from './budgeted-parser.js';
import { parsePage } from './parse-page.js';

parentPort?.on('message', (request: ParseRequest) => {
  let reply: ParseReply;
  try {
    reply = { id: request.id, parsed: parsePage(request.file, request.options) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
parentPort?.postMessage('ready');
