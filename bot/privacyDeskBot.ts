import {
  ActivityTypes,
  ConversationState,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type StatePropertyAccessor,
  type Storage,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import { PROMPT_ANSWER_KEY } from '../cards';
import { actorOf, EXPORT_REQUEST_DIALOG, ExportRequestDialog } from '../dialogs/exportRequestDialog';
import { EXTEND_DEADLINE_DIALOG, ExtendDeadlineDialog } from '../dialogs/extendDeadlineDialog';
import { SELF_SERVICE_LAW_DIALOG } from '../dialogs/selfServiceLawDialog';
import type { Logger } from '../domain/logger';
import type { RequestService } from '../domain/requests/requestService';
import type { CardActionRouter } from './cardActions/cardActionRouter';
import { invokeError, InvokeErrorCode } from './cardActions/invokeError';
import type { CommandHandler, CommandScope, CommandTurn } from './commands/command';
import { replyPlain } from './commands/replies';
import type { ServiceUrlPolicy } from './proactive/serviceUrlPolicy';
import { SpeakerCheck, type ConversationDirectory, type Speaker } from './state/conversationReferences';
import { tenantOf } from './http/inboundPolicy';

const DIALOG_STATE_PROPERTY = 'dialogState';
const CANCEL = /^(cancel|stop|quit|exit)$/i;
const PERSONAL = 'personal';
/**
 * Longer than any answer the bot asks for (the longest, an identity-verification note, is 500) and
 * far below the HTTP body limit, so an over-long message still reaches the bot and gets a sentence.
 */
export const MAX_MESSAGE_CHARS = 4_000;
/** What a waiting dialog is about, for "you are in the middle of …". */
const DIALOG_PURPOSE: Record<string, string> = {
  [EXPORT_REQUEST_DIALOG]: 'filing a request',
  [EXTEND_DEADLINE_DIALOG]: 'extending a deadline',
  [SELF_SERVICE_LAW_DIALOG]: 'asking for a copy of your data',
};
const SPEAKER_REFUSED = 'I could not confirm who you are in this conversation, so I did nothing. If you think this is wrong, ask your privacy team.';

export interface PrivacyDeskBotDeps {
  readonly storage: Storage;
  readonly requests: RequestService;
  readonly conversations: ConversationDirectory;
  readonly serviceUrls: ServiceUrlPolicy;
  readonly cardActions: CardActionRouter;
  readonly logger: Logger;
  /** Someone became reachable: let the outbox try what was waiting for them. */
  readonly onReachable: (objectId: string) => Promise<void>;
  /** Builds the command list; receives the dialog set so `export` can start the filing dialog. */
  readonly commands: (dialogs: DialogSet) => readonly CommandHandler[];
}

/**
 * The Teams face of Privacy Desk: messages become commands or dialog turns, card clicks become
 * card actions, and every activity from a person's 1:1 chat refreshes how to reach them later.
 */
export class PrivacyDeskBot extends TeamsActivityHandler {
  private readonly conversationState: ConversationState;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialogs: DialogSet;
  readonly commands: readonly CommandHandler[];

  constructor(private readonly deps: PrivacyDeskBotDeps) {
    super();
    this.conversationState = new ConversationState(deps.storage);
    this.dialogState = this.conversationState.createProperty<DialogState>(DIALOG_STATE_PROPERTY);
    this.dialogs = new DialogSet(this.dialogState);
    this.dialogs.add(new ExportRequestDialog(deps.requests, async (id) => (await deps.conversations.forUser(id)) !== undefined));
    this.dialogs.add(new ExtendDeadlineDialog(deps.requests));
    this.commands = deps.commands(this.dialogs);

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    // Teams sends both installationUpdate and conversationUpdate on install; welcoming on one avoids a double hello.
    this.onMembersAdded(async (context, next) => {
      const botJoined = context.activity.membersAdded?.some((m) => m.id === context.activity.recipient.id);
      if (botJoined && isPersonal(context)) await this.welcome(context);
      await next();
    });
  }

  /**
   * An activity naming a person whose Teams user id or tenant on record differs is not that person:
   * nothing runs, nothing is remembered, and the log says so without naming anyone.
   */
  override async run(context: TurnContext): Promise<void> {
    const speaker = speakerOf(context);
    if (speaker && (await this.checkSpeaker(context, speaker)) === SpeakerCheck.Mismatch) return this.refuseSpeaker(context);
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
  }

  private async refuseSpeaker(context: TurnContext): Promise<void> {
    this.deps.logger.warn(
      { activityType: context.activity.type, conversationType: context.activity.conversation?.conversationType },
      'activity refused: the Teams user id does not match the one on record for this person',
    );
    if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 403, body: invokeError(403, InvokeErrorCode.Unauthorized, SPEAKER_REFUSED) },
      });
    } else if (context.activity.type === ActivityTypes.Message) {
      await replyPlain(context, SPEAKER_REFUSED);
    }
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const id = context.activity.from?.aadObjectId;
    if (!id) return invokeError(401, InvokeErrorCode.Unauthorized, 'Privacy Desk needs a signed-in Teams user.');
    return this.deps.cardActions.route(context, actorOf(context), invokeValue);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    if (!context.activity.from?.aadObjectId) {
      await replyPlain(context, 'I can only help signed-in Microsoft Teams users.');
      return;
    }
    const scope: CommandScope = isPersonal(context) ? 'personal' : 'channel';
    const length = context.activity.text?.length ?? 0;
    if (length > MAX_MESSAGE_CHARS) {
      await replyPlain(
        context,
        `That message is ${length.toLocaleString('en-US')} characters long; I read messages of up to ${MAX_MESSAGE_CHARS.toLocaleString('en-US')} characters, so nothing was changed. Type "help" to see what I can do.`,
      );
      if (scope === 'personal') await (await this.waitingDialog(context))?.repromptDialog();
      return;
    }
    const text = commandText(context);
    if (scope === 'personal') {
      const dc = await this.waitingDialog(context);
      if (CANCEL.test(text)) {
        await dc?.cancelAllDialogs();
        await replyPlain(context, dc ? 'Cancelled. Nothing was filed.' : 'There is nothing to cancel. Type "help" to see what I can do.');
        return;
      }
      if (dc) {
        const typed = this.commandIn(text);
        if (typed) return this.commandWhileAsking(dc, typed.command, { context, actor: actorOf(context), scope, ...typed.argument });
        const result = await dc.continueDialog();
        if (result.status !== DialogTurnStatus.empty) return;
      }
    }
    if (isPromptAnswer(context.activity.value)) {
      // A button of a question that is no longer asked (answered, cancelled, or from before a restart).
      await replyPlain(context, 'That question is no longer open, so nothing was changed. Type "help" to see what I can do.');
      return;
    }
    if (!text && context.activity.value) {
      // An Action.Submit from an old card: Privacy Desk's cards use Action.Execute.
      await replyPlain(context, 'That card is out of date. Type "help" to see what I can do.');
      return;
    }
    const typed = this.commandIn(text);
    if (typed) {
      const { command, argument } = typed;
      if (command.scopes.includes(scope)) return command.handle({ context, actor: actorOf(context), scope, ...argument });
      await replyPlain(
        context,
        scope === 'personal' ? `"${command.title}" works in a team channel: @mention me there.` : `"${command.title}" works in our 1:1 chat.`,
      );
      return;
    }
    // A message no pattern matched may still be an answer (a subject's reply to a paused request).
    for (const command of this.commands) {
      if (await command.tryAnswer?.({ context, actor: actorOf(context), scope })) return;
    }
    await replyPlain(context, `I didn't understand that. Type "help" to see what I can do.`);
  }

  /**
   * The dialog context when a dialog waits for an answer in this conversation, else undefined. Most
   * messages find none, and botbuilder builds a DialogContext at some cost (its memory scopes and
   * path resolvers, anew for each), so the stack is looked at first. The state is read exactly as
   * DialogSet.createContext reads it (with the same default), so what is saved after the turn is the same.
   */
  private async waitingDialog(context: TurnContext): Promise<DialogContext | undefined> {
    const state = await this.dialogState.get(context, { dialogStack: [] });
    if (Array.isArray(state.dialogStack) && state.dialogStack.length === 0) return undefined;
    const dc = await this.dialogs.createContext(context);
    return dc.activeDialog ? dc : undefined;
  }

  /** The first command whose pattern matches, wherever it works, with its argument. */
  private commandIn(text: string): { command: CommandHandler; argument: { argument?: string } } | undefined {
    for (const command of this.commands) {
      const match = command.pattern.exec(text);
      if (match) return { command, argument: match[1] ? { argument: match[1].trim() } : {} };
    }
    return undefined;
  }

  /**
   * A command typed while a question waits is never its answer (botbuilder's recognizers used to read
   * "status DSR-2026-0001" as choice 1 and file a request). What only shows something runs, and the
   * question is asked again; the command that began this very dialog starts it over ("export X" after
   * "I can't find…"); anything else waits until the dialog is finished or cancelled.
   */
  private async commandWhileAsking(dc: DialogContext, command: CommandHandler, turn: CommandTurn): Promise<void> {
    const waiting = dc.activeDialog!;
    if (command.startsDialog === waiting.id) {
      // The command starts over itself once its checks pass (startOver); if they failed, ask again.
      await command.handle(turn);
      if (dc.activeDialog === waiting) await dc.repromptDialog();
      return;
    }
    if (command.readOnly) {
      await command.handle(turn);
    } else {
      await replyPlain(
        turn.context,
        `You are in the middle of ${DIALOG_PURPOSE[waiting.id] ?? 'a question'}: answer the question below, or type "cancel" first. Nothing was changed.`,
      );
    }
    await dc.repromptDialog();
  }

  private async welcome(context: TurnContext): Promise<void> {
    await replyPlain(
      context,
      'Hi, I’m Privacy Desk. I handle requests for a copy of personal data (GDPR Art. 15/20, CCPA). Type "export my data" to get your own, or "help" to see everything I can do.',
    );
  }

  /**
   * One read per activity decides both whether the speaker is who their record says and, from their
   * own 1:1 chat, keeps the reference current, so cards can reach them later. A mismatch is refused.
   */
  private async checkSpeaker(context: TurnContext, speaker: Speaker): Promise<SpeakerCheck> {
    if (!this.remembersConversation(context)) return (await this.deps.conversations.isConsistent(speaker)) ? SpeakerCheck.Unchanged : SpeakerCheck.Mismatch;
    const check = await this.deps.conversations.rememberSpeaker(speaker, TurnContext.getConversationReference(context.activity));
    // Even with the same reference: someone who had blocked the bot and now talks to it is reachable again.
    if (check !== SpeakerCheck.Mismatch) await this.deps.onReachable(speaker.objectId);
    return check;
  }

  private remembersConversation(context: TurnContext): boolean {
    if (!isPersonal(context) || context.activity.type === ActivityTypes.Typing) return false;
    if (this.deps.serviceUrls.allows(context.activity.serviceUrl)) return true;
    this.deps.logger.warn(
      { conversationType: context.activity.conversation?.conversationType },
      'conversation not remembered: serviceUrl not on the allow-list',
    );
    return false;
  }
}

/** Who the activity says is speaking; undefined when it names no Entra user (nothing to check). */
function speakerOf(context: TurnContext): Speaker | undefined {
  const from = context.activity.from;
  if (!from?.aadObjectId || !from.id) return undefined;
  const tenantId = tenantOf(context.activity);
  return { objectId: from.aadObjectId, teamsUserId: from.id, ...(tenantId ? { tenantId } : {}) };
}

function isPromptAnswer(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[PROMPT_ANSWER_KEY] === 'string';
}

function isPersonal(context: TurnContext): boolean {
  const type = context.activity.conversation?.conversationType;
  return type === PERSONAL || (type === undefined && !context.activity.conversation?.isGroup);
}

/** The message text without the bot's @mention and surrounding space. */
function commandText(context: TurnContext): string {
  const withoutMention = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
  return withoutMention
    .replace(/<at>.*?<\/at>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
