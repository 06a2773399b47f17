// client-node 1.x makes a new Agent for every API request, so each request pays a TCP connect and a TLS handshake
// (about 3 s at p99 under a room's load); kubectl keeps its connection open. KeptAliveAgents stands one keep-alive
// agent in for client-node's fresh ones; KeepAliveKubeConfig gives every API request of one context that agent.
// Watches keep their own connection and are left as they are.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

/** Below Node servers' 5 s keep-alive timeout, so an idle connection is dropped here before the server drops it. */
const IDLE_SOCKET_MS = 4_000;

/** The TLS options client-node derived from the kubeconfig: a rotated client certificate changes them. */
function tlsIdentity(agent: HttpAgent): string {
  const options = (agent as HttpsAgent & { options?: AgentOptions }).options ?? {};
  const { ca, cert, key, pfx, rejectUnauthorized, servername } = options;
  return JSON.stringify([ca, cert, key, pfx, rejectUnauthorized, servername].map(String));
}

/** One keep-alive agent per key (a context), remade when the TLS options it was made with change. */
export class KeptAliveAgents {
  private readonly agents = new Map<string, { agent: HttpAgent; identity: string }>();

  /**
   * The agent to use instead of `made`, the one client-node just built for a request. Proxy agents (a subclass)
   * carry their proxy and are used as client-node made them.
   */
  instead(key: string, made: HttpAgent): HttpAgent {
    if (made.constructor !== HttpsAgent && made.constructor !== HttpAgent) return made;
    const identity = tlsIdentity(made);
    let kept = this.agents.get(key);
    if (kept?.identity !== identity) {
      kept?.agent.destroy();
      const reuse = { keepAlive: true, timeout: IDLE_SOCKET_MS };
      const agent =
        made instanceof HttpsAgent
          ? new HttpsAgent({ ...(made as HttpsAgent & { options: AgentOptions }).options, ...reuse })
          : new HttpAgent(reuse);
      kept = { agent, identity };
      this.agents.set(key, kept);
    }
    return kept.agent;
  }

  /** Closes every kept connection. */
  close(): void {
    for (const { agent } of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

export class KeepAliveKubeConfig extends KubeConfig {
  /** By context name: switching context must not reuse another cluster's credentials. */
  private readonly agents = new KeptAliveAgents();

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const made = context.getAgent();
    if (made) context.setAgent(this.agents.instead(this.getCurrentContext(), made));
  }
}
