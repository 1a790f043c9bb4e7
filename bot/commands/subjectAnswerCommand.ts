import { TurnContext } from 'botbuilder';
import { answerMissingSentence, answerRefusedSentence, answerSentSentence, filesNotPassedSentence, whichRequestSentence } from '../../cards';
import { isRefusal } from '../../domain/refusal';
import type { ExportRequest } from '../../domain/requests/exportRequest';
import { normalizeReference } from '../../domain/requests/reference';
import { AnswerRefusal, type RequestService } from '../../domain/requests/requestService';
import type { CommandHandler, CommandTurn } from './command';
import { replyPlain } from './replies';

const NOTHING_WAITING = 'Nothing of yours is waiting for an answer, so nothing was sent. Type "help" to see what I can do.';

/** Attachments Teams adds to every message (the formatted copy of the text) or that are cards: not files. */
const NOT_A_FILE = /^(text\/html|application\/vnd\.microsoft\.card\.)/i;

/**
 * A data subject answers a request whose clock the privacy team paused to ask them something.
 *
 * Typed as `answer [<reference>] <your answer>`, or — the usual way — as a plain reply in the chat: the
 * bot calls tryAnswer as its last resort, after every known command, before "I didn't understand
 * that". With one request waiting for them the message is the answer; with several it must start with
 * the reference (they are asked which, never guessed). The words go to the privacy team through
 * RequestService.recordSubjectAnswer; the subject is told, in their language, that they were sent
 * and that the clock stays paused until the team resumes it. Only ever in the 1:1 chat.
 */
export class PausedRequestAnswer implements CommandHandler {
  readonly title = 'answer';
  readonly usage = 'answer <reference> <your answer>';
  readonly description = 'Answer the privacy team when they paused your request to ask you something (replying in this chat works too)';
  readonly scopes = ['personal'] as const;
  readonly pattern = /^answer(?:\s+(.+))?$/i;

  constructor(private readonly requests: RequestService) {}

  async handle(turn: CommandTurn): Promise<void> {
    const waiting = await this.requests.awaitingAnswerFrom(turn.actor);
    if (waiting.length === 0) {
      await replyPlain(turn.context, NOTHING_WAITING);
      return;
    }
    await this.answer(turn, typedText(turn.context).replace(/^answer\b/i, ''), waiting);
  }

  /**
   * The fallback for a message no command took: when the sender, in their 1:1 chat, is the subject of
   * a request paused for their answer, the message is handled as that answer (and true returned);
   * otherwise nothing is said or done, and false is returned.
   */
  async tryAnswer(turn: CommandTurn): Promise<boolean> {
    if (turn.scope !== 'personal') return false;
    const waiting = await this.requests.awaitingAnswerFrom(turn.actor);
    if (waiting.length === 0) return false;
    const text = typedText(turn.context);
    if (!text) {
      if (!hasFiles(turn.context)) return false;
      await replyPlain(turn.context, filesNotPassedSentence(waiting[0]!));
      return true;
    }
    await this.answer(turn, text, waiting);
    return true;
  }

  private async answer(turn: CommandTurn, text: string, waiting: readonly ExportRequest[]): Promise<void> {
    const chosen = whichAnswer(text, waiting);
    if (!chosen) {
      await replyPlain(turn.context, whichRequestSentence(waiting));
      return;
    }
    if (!chosen.text) {
      await replyPlain(turn.context, answerMissingSentence(chosen.request));
      return;
    }
    try {
      const { request, answer } = await this.requests.recordSubjectAnswer(turn.actor, chosen.request.id, chosen.text);
      await replyPlain(turn.context, answerSentSentence(request, answer));
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await replyPlain(turn.context, error instanceof AnswerRefusal ? answerRefusedSentence(chosen.request, error.reason) : error.sentence);
    }
  }
}

/**
 * Which waiting request a message answers, and with what words: the one whose reference it starts
 * with (the reference dropped), else the only one waiting (the whole message). Undefined when several
 * wait and the message names none of them.
 */
function whichAnswer(text: string, waiting: readonly ExportRequest[]): { request: ExportRequest; text: string } | undefined {
  const [, first = '', rest = ''] = /^\s*(\S*)\s*([\s\S]*)$/.exec(text) ?? [];
  const reference = normalizeReference(first.replace(/[:,.;]$/, ''));
  const named = reference ? waiting.find((r) => r.reference === reference) : undefined;
  if (named) return { request: named, text: rest.trim() };
  if (waiting.length === 1) return { request: waiting[0]!, text: text.trim() };
  return undefined;
}

/** The message as typed — line breaks kept — without the bot's @mention. */
function typedText(context: TurnContext): string {
  return (TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '').trim();
}

function hasFiles(context: TurnContext): boolean {
  return (context.activity.attachments ?? []).some((a) => !NOT_A_FILE.test(a.contentType ?? ''));
}
