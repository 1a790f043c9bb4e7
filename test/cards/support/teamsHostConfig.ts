/**
 * A host config close to Teams' light theme (Segoe UI, 14 px text, Teams purple accent, light-grey
 * emphasis, inline ShowCards, six actions at most), enough for a rendering test and a screenshot
 * that reads like a card in a Teams chat. Values the renderer does not get here fall back to its
 * defaults. Not Microsoft's file: an approximation for tests.
 */
const foreground = {
  default: { default: '#242424', subtle: '#616161' },
  dark: { default: '#242424', subtle: '#616161' },
  light: { default: '#FFFFFF', subtle: '#F0F0F0' },
  accent: { default: '#5B5FC7', subtle: '#7579EB' },
  good: { default: '#0E700E', subtle: '#107C10' },
  warning: { default: '#835B00', subtle: '#8A6116' },
  attention: { default: '#C4314B', subtle: '#D13438' },
};

export const TEAMS_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, BlinkMacSystemFont, Roboto, 'Helvetica Neue', sans-serif",
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: foreground },
    emphasis: { backgroundColor: '#F5F5F5', foregroundColors: foreground },
    accent: { backgroundColor: '#E8EBFA', foregroundColors: foreground },
    good: { backgroundColor: '#E7F2DA', foregroundColors: foreground },
    attention: { backgroundColor: '#FDF3F4', foregroundColors: foreground },
    warning: { backgroundColor: '#FBF6D9', foregroundColors: foreground },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 16, style: 'emphasis' },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
  },
  adaptiveCard: { allowCustomStyle: true },
  factSet: {
    title: { color: 'default', size: 'default', isSubtle: true, weight: 'default', wrap: true, maxWidth: 150 },
    value: { color: 'default', size: 'default', isSubtle: false, weight: 'default', wrap: true },
    spacing: 12,
  },
  textStyles: {
    heading: { size: 'large', weight: 'bolder', color: 'default', isSubtle: false, fontType: 'default' },
  },
  inputs: { label: { requiredInputs: { weight: 'bolder' }, optionalInputs: { weight: 'bolder' } } },
};

/** Teams-like buttons and inputs on top of the library's own stylesheet. */
export const TEAMS_CSS = `
  body { margin: 0; padding: 24px; background: #F5F5F5; }
  .bubble { width: 460px; background: #FFFFFF; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.14), 0 0 2px rgba(0,0,0,.12); overflow: hidden; }
  .ac-pushButton { font: 600 14px 'Segoe UI', sans-serif; border: 1px solid #D1D1D1; border-radius: 4px; background: #FFFFFF; color: #242424; padding: 5px 12px; min-height: 32px; }
  .ac-pushButton.style-positive { background: #5B5FC7; border-color: #5B5FC7; color: #FFFFFF; }
  .ac-pushButton.style-destructive { background: #FFFFFF; border-color: #C4314B; color: #C4314B; }
  .ac-pushButton.expanded { background: #E8EBFA; border-color: #5B5FC7; color: #242424; }
  .ac-pushButton.expandable:after { content: ' ▾'; font-family: inherit; font-size: inherit; font-weight: inherit; }
  .ac-pushButton.expandable.expanded:after { content: ' ▴'; }
  .ac-input.ac-textInput { font: 14px 'Segoe UI', sans-serif; border: 1px solid #D1D1D1; border-radius: 4px; padding: 6px 8px; }
`;
