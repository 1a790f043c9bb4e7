import { AdaptiveCard, ExecuteAction, HostConfig } from 'adaptivecards';
import { useEffect, useRef } from 'react';

/** What the card needs of its host: buttons that work, Teams' font; colours and sizes are the renderer's own. */
const HOST_CONFIG = new HostConfig({
  supportsInteractivity: true,
  fontFamily: "'Segoe UI', -apple-system, BlinkMacSystemFont, Roboto, 'Helvetica Neue', sans-serif",
  actions: { actionsOrientation: 'horizontal', actionAlignment: 'left', buttonSpacing: 8, showCard: { actionMode: 'inline' } },
});

/**
 * An Adaptive Card the bot would send, rendered by Microsoft's renderer (the `adaptivecards` package)
 * as Teams renders it in a chat; an Action.Execute button reports its verb and data (inputs included).
 */
export function CardView({ card, onExecute }: { readonly card: object; readonly onExecute: (verb: string, data: Record<string, unknown>) => void }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const adaptive = new AdaptiveCard();
    adaptive.hostConfig = HOST_CONFIG;
    adaptive.onExecuteAction = (action) => {
      if (action instanceof ExecuteAction) onExecute(action.verb ?? '', (action.data ?? {}) as Record<string, unknown>);
    };
    adaptive.parse(card);
    const rendered = adaptive.render();
    if (rendered && host.current) host.current.replaceChildren(rendered);
  }, [card, onExecute]);
  return <div ref={host} data-card="" />;
}
