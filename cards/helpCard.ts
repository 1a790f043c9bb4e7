import { type AdaptiveCard, escapeText, plainText, renderTemplate } from './adaptiveCard';
import template from './helpCard.json';

/** One line of help: how to type the command, and what it does. */
export interface HelpEntry {
  readonly title: string;
  readonly description: string;
}

interface HelpCardData {
  /** Through plainText: TextRuns, so a command like "status DSR-2026-0007" is not read as Markdown. */
  commands: HelpEntry[];
  /** Commands that work in the other place (a team channel, or the 1:1 chat), under their own heading. */
  elsewhere: HelpEntry[];
  elsewhereHeading: string;
  isAdmin: boolean;
  inChannel: boolean;
  /** "Dates are in Europe/Berlin time.": the zone every "today" and due date is read in (empty: no footer). */
  timeZoneNote: string;
}

/**
 * The command list. The caller decides which commands this person may use; the card only adds the
 * two things a person would otherwise trip over: in a channel the bot hears only @mentions, and filing
 * for someone else is for privacy admins.
 */
export function buildHelpCard(
  commands: readonly HelpEntry[],
  options: { isAdmin: boolean; inChannel: boolean; elsewhere?: readonly HelpEntry[]; timeZone?: string },
): AdaptiveCard {
  const plain = (entries: readonly HelpEntry[]) => entries.map((c) => ({ title: plainText(c.title), description: plainText(c.description) }));
  const data: HelpCardData = {
    commands: plain(commands),
    elsewhere: plain(options.elsewhere ?? []),
    elsewhereHeading: options.inChannel ? 'In our 1:1 chat' : 'In a team channel (mention Privacy Desk first)',
    isAdmin: options.isAdmin,
    inChannel: options.inChannel,
    timeZoneNote: options.timeZone ? `Dates are in ${escapeText(options.timeZone)} time.` : '',
  };
  return renderTemplate(template, data);
}
