// client-node 1.x makes a new Agent for every API request, so each request pays a TCP connect and a TLS handshake
// (about 3 s at p99 under a room's load, and most of the game's CPU per shot); kubectl keeps its connection open.
// This KubeConfig gives every API request of one context the same keep-alive agent. Watches keep their own
// connection and are left as they are.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

/** Below Node servers' 5 s keep-alive timeout, so an idle connection is dropped here before the server drops it. */
const IDLE_SOCKET_MS = 4_000;

/** The TLS identity an agent was made for: an exec plugin may hand out a new client certificate at any request. */
const identityOf = (agent: HttpAgent) => {
  const { cert, key } = (agent as HttpsAgent).options ?? {};
  return `${String(cert)}\n${String(key)}`;
};

export class KeepAliveKubeConfig extends KubeConfig {
  /** By context name: switching context must not reuse another cluster's credentials. */
  private readonly agents = new Map<string, { agent: HttpAgent; identity: string }>();

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const made = context.getAgent();
    // Proxy agents (a subclass) carry their proxy; keep those as client-node made them.
    if (!made || (made.constructor !== HttpsAgent && made.constructor !== HttpAgent)) return;
    const key = this.getCurrentContext();
    const identity = identityOf(made);
    let kept = this.agents.get(key);
    if (kept?.identity !== identity) {
      kept?.agent.destroy();
      const reuse = { keepAlive: true, timeout: IDLE_SOCKET_MS };
      // The TLS options (CA, client certificate) are the ones client-node just gave its own agent.
      const agent =
        made instanceof HttpsAgent ? new HttpsAgent({ ...made.options, ...reuse }) : new HttpAgent(reuse);
      kept = { agent, identity };
      this.agents.set(key, kept);
    }
    context.setAgent(kept.agent);
  }
}
