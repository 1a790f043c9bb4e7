import { type AdaptiveCard, plainText, renderTemplate } from './adaptiveCard';
import template from './noticeCard.json';

interface NoticeCardData {
  title: string;
  sentence: string;
  /** Further paragraphs, each its own block (a closing notice's "you can ask again" and rights). */
  more: { paragraph: string }[];
}

/**
 * A refusal or notice with no request to show ("Nothing was changed" + the refusal's sentence).
 * Both strings go in TextRuns through plainText: refusal sentences can quote what a person typed
 * (an unknown name, a reference), so they are treated as user strings. Hence a RichTextBlock for the
 * title too, with TextRun size and weight standing in for a heading TextBlock.
 */
export function buildNoticeCard(title: string, sentence: string, more: readonly string[] = []): AdaptiveCard {
  const data: NoticeCardData = { title: plainText(title), sentence: plainText(sentence), more: more.map((p) => ({ paragraph: plainText(p) })) };
  return renderTemplate(template, data);
}
