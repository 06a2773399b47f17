import type { ClusterTarget } from '../cluster.ts';
import type { WebFeature } from './feature.ts';

/** `GET /api/platform`: what the player page needs to tell attendees how to reach the cluster. */
export function platformInfoFeature(cluster: ClusterTarget): WebFeature {
  // The kubeconfig path is only shown for the sandbox: it is a file the attendee's own laptop made.
  const body = {
    cluster: {
      mode: cluster.mode,
      context: cluster.context,
      version: cluster.version,
      kubeconfigPath: cluster.mode === 'sandbox' ? cluster.kubeconfigPath : undefined,
    },
  };
  return {
    name: 'platform-info',
    mount(app) {
      app.get('/api/platform', (_req, res) => {
        res.json(body);
      });
    },
  };
}
