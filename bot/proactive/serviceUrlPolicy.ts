/**
 * Outbound calls go only to Bot Framework / Teams hosts. An activity's serviceUrl is where the bot
 * will send replies and tokens; a forged or misconfigured one must not turn the bot into a client of
 * an arbitrary host. Patterns are exact host names or "*.suffix".
 */
export class ServiceUrlPolicy {
  constructor(private readonly allowedHosts: readonly string[]) {}

  allows(serviceUrl: string | undefined): boolean {
    if (!serviceUrl) return false;
    let url: URL;
    try {
      url = new URL(serviceUrl);
    } catch {
      return false;
    }
    const host = url.hostname.toLowerCase();
    const loopback = host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
    if (url.protocol !== 'https:' && !loopback) return false;
    return this.allowedHosts.some((pattern) => {
      const p = pattern.toLowerCase();
      return p.startsWith('*.') ? host.endsWith(p.slice(1)) : host === p;
    });
  }
}
