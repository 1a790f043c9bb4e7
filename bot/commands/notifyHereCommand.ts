import type { TurnContext } from 'botbuilder';
import type { RequestService } from '../../domain/requests/requestService';
import type { Clock } from '../../domain/clock';
import type { ConversationDirectory } from '../state/conversationReferences';
import type { CommandHandler, CommandTurn } from './command';
import { channelIdIn, teamIdIn } from './channelScope';
import { replyPlain } from './replies';

/** `notify here`, typed in a team channel by an admin: that channel receives the privacy team's cards. */
export class NotifyHereCommand implements CommandHandler {
  readonly title = 'notify here';
  readonly usage = '@Privacy Desk notify here';
  readonly description = 'Make this channel the privacy team’s notification channel (admins)';
  readonly scopes = ['channel'] as const;
  readonly pattern = /^(notify here|use this channel|notifications here)$/i;

  constructor(
    private readonly requests: RequestService,
    private readonly conversations: ConversationDirectory,
    private readonly clock: Clock,
  ) {}

  async handle(turn: CommandTurn): Promise<void> {
    if (!(await this.requests.isAdmin(turn.actor))) {
      await replyPlain(turn.context, 'Only privacy admins can choose the notification channel. Nothing was changed.');
      return;
    }
    const channelId = channelIdOf(turn.context);
    await this.conversations.setNotificationChannel({
      channelId,
      serviceUrl: turn.context.activity.serviceUrl,
      ...(teamIdOf(turn.context) ? { teamId: teamIdOf(turn.context)! } : {}),
      ...(turn.context.activity.conversation.tenantId ? { tenantId: turn.context.activity.conversation.tenantId } : {}),
      setBy: turn.actor.objectId,
      setAt: this.clock.now().toISOString(),
    });
    await replyPlain(
      turn.context,
      'Done: this channel now receives a card when a request is filed, confirmed, declined, ready, delivered or failed — with the reference and the subject’s name, never data from an export.',
    );
  }
}

function channelIdOf(context: TurnContext): string {
  // A message in a channel thread has conversation.id "19:…@thread…;messageid=…": the channel is the part before.
  return channelIdIn(context.activity) ?? context.activity.conversation.id.split(';')[0]!;
}

function teamIdOf(context: TurnContext): string | undefined {
  return teamIdIn(context.activity);
}
