export const Regime = { Gdpr: 'gdpr', Ccpa: 'ccpa' } as const;
export type Regime = (typeof Regime)[keyof typeof Regime];

export const REGIMES: readonly Regime[] = [Regime.Gdpr, Regime.Ccpa];

export const REGIME_LABEL: Record<Regime, string> = {
  gdpr: 'GDPR (Art. 15 access, Art. 20 portability)',
  ccpa: 'CCPA (right to know)',
};
