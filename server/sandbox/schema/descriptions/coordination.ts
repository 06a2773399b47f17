// What `kubectl explain` says of the types of coordination.k8s.io/v1 (see ../descriptions.ts).
import { metadata, type Texts } from './common.ts';
export const coordination: Texts = {
  'coordination.v1.Lease': {
    '': 'A Lease is a lock with an expiry: nodes renew theirs as a heartbeat, and controllers use them to elect a leader.',
    spec: 'Who holds the lease and until when.',
    metadata: metadata('lease'),
  },
  'coordination.v1.LeaseSpec': {
    '': 'Who holds the lease and until when.',
    holderIdentity: 'The holder: a node name for node heartbeats, a pod for leader election.',
    leaseDurationSeconds: 'How long the lease lasts after renewTime unless renewed.',
    acquireTime: 'When the current holder took the lease.',
    renewTime: 'When the holder last renewed it.',
    leaseTransitions: 'How many times the lease changed holder.',
    strategy: 'How the next holder is chosen in coordinated leader election.',
    preferredHolder: 'The holder the election would like to hand the lease to.',
  },
};
