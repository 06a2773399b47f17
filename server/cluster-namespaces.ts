// The namespaces a Kubernetes cluster keeps for itself: the game never shows or fires at their pods, and a lesson's
// check (run with the platform's credentials) never reads them.
export const clusterOwnNamespaces: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];
