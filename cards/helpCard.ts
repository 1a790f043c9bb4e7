import { type AdaptiveCard, plainText, renderTemplate } from './adaptiveCard';
import template from './helpCard.json';

interface HelpCardData {
  /** Through plainText: TextRuns, so a command like "status DSR-2026-0007" is not read as Markdown. */
  commands: Array<{ title: string; description: string }>;
  isAdmin: boolean;
  inChannel: boolean;
}

/**
 * The command list. The caller decides which commands this person may use; the card only adds the
 * two things a person would otherwise trip over: in a channel the bot hears only @mentions, and filing
 * for someone else is for privacy admins.
 */
export function buildHelpCard(
  commands: ReadonlyArray<{ title: string; description: string }>,
  options: { isAdmin: boolean; inChannel: boolean },
): AdaptiveCard {
  const data: HelpCardData = {
    commands: commands.map((c) => ({ title: plainText(c.title), description: plainText(c.description) })),
    isAdmin: options.isAdmin,
    inChannel: options.inChannel,
  };
  return renderTemplate(template, data);
}
