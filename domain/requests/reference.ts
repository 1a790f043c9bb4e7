export const REFERENCE_PREFIX = 'DSR';

export function formatReference(year: number, sequence: number): string {
  return `${REFERENCE_PREFIX}-${year}-${String(sequence).padStart(4, '0')}`;
}

const REFERENCE_PATTERN = /^DSR-(\d{4})-(\d{4,})$/i;

export function normalizeReference(text: string): string | undefined {
  const m = REFERENCE_PATTERN.exec(text.trim());
  return m ? `${REFERENCE_PREFIX}-${m[1]}-${m[2]}` : undefined;
}
