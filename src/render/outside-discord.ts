import type { Answer, MessageAnswer } from '../answers/answer.js';
import { needsDiscord } from '../answers/notices.js';

/**
 * The message an answer comes to where there is no Discord (the console, the command line): an
 * acknowledgement's follow-up once it is ready, and for a form to open, a notice that only
 * Discord can open it.
 */
export async function outsideDiscord(answer: Answer): Promise<MessageAnswer> {
  let settled = answer;
  while (settled.kind === 'ack') settled = await settled.followUp();
  return settled.kind === 'modal' ? needsDiscord() : settled;
}
