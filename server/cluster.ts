import { existsSync } from 'node:fs';
import { type KubeConfig, VersionApi } from '@kubernetes/client-node';
import { UserError } from './errors.ts';
import { KeepAliveKubeConfig } from './keep-alive-kube-config.ts';

/** The cluster the platform fires at and checks lessons against. */
export interface ClusterTarget {
  mode: 'sandbox' | 'kubeconfig';
  kubeConfig: KubeConfig;
  context: string;
  server: string;
  /** Where attendees point KUBECONFIG (the sandbox's file, or the file given with --kubeconfig). */
  kubeconfigPath: string | undefined;
  /** Kubernetes version the API server reports, e.g. v1.35.0. */
  version: string;
}

export interface KubeconfigSelection {
  /** Explicit file; otherwise the standard loading: KUBECONFIG, ~/.kube/config, in-cluster credentials. */
  path?: string;
  context?: string;
}

export function loadKubeConfig(selection: KubeconfigSelection): KubeConfig {
  const kubeConfig = new KeepAliveKubeConfig();
  if (selection.path) {
    if (!existsSync(selection.path)) {
      throw new UserError(
        `Kubeconfig not found: ${selection.path}`,
        'Check the path, or run `kubewars cluster up` to create the Vagrant cluster and its config.',
      );
    }
    try {
      kubeConfig.loadFromFile(selection.path);
    } catch (error) {
      throw new UserError(`Cannot read kubeconfig ${selection.path}: ${(error as Error).message}`);
    }
  } else {
    try {
      kubeConfig.loadFromDefault();
    } catch (error) {
      throw new UserError(`Cannot load your kubeconfig: ${(error as Error).message}`);
    }
  }
  if (selection.context) {
    if (!kubeConfig.getContextObject(selection.context)) {
      const known = kubeConfig.getContexts().map((context) => context.name);
      throw new UserError(
        `No context named "${selection.context}" in the kubeconfig.`,
        known.length ? `Known contexts: ${known.join(', ')}.` : 'The kubeconfig has no contexts.',
      );
    }
    kubeConfig.setCurrentContext(selection.context);
  }
  if (!kubeConfig.getCurrentCluster()) {
    throw new UserError(
      'No cluster configured: the kubeconfig has no current context.',
      'Pass --kubeconfig PATH and --context NAME, or start without them to use the built-in sandbox.',
    );
  }
  return kubeConfig;
}

/** Asks the API server for its version: proves the cluster is reachable and the credentials are accepted. */
export async function probeCluster(kubeConfig: KubeConfig): Promise<string> {
  const server = kubeConfig.getCurrentCluster()?.server ?? '(no server)';
  try {
    const info = await kubeConfig.makeApiClient(VersionApi).getCode();
    return info.gitVersion;
  } catch (error) {
    const reason = (error as { code?: string; message?: string }).code ?? (error as Error).message;
    throw new UserError(
      `Cannot reach the cluster "${kubeConfig.getCurrentContext()}" at ${server} (${reason}).`,
      'Is it running and is this the right context? Try `kubectl --context ' +
        `${kubeConfig.getCurrentContext()} get nodes\`, or start without --kubeconfig to use the sandbox.`,
    );
  }
}
