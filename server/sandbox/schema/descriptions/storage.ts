// What `kubectl explain` says of the types of storage.k8s.io/v1 (see ../descriptions.ts).
import { metadata, type Texts } from './common.ts';
export const storage: Texts = {
  'storage.v1.StorageClass': {
    '': 'A StorageClass describes a kind of storage; claims naming it get a volume made by its provisioner.',
    provisioner: 'The driver that makes the volumes.',
    reclaimPolicy: 'What happens to a volume when its claim is deleted: Delete (default) or Retain.',
    volumeBindingMode: 'Immediate (default), or WaitForFirstConsumer: only once a pod uses the claim.',
    allowVolumeExpansion: 'Whether claims may ask for more space later.',
    metadata: metadata('storage class'),
    parameters: 'Settings passed to the provisioner; their meaning depends on it.',
    mountOptions: 'Mount options for the volumes it provisions, e.g. ro.',
    allowedTopologies: 'Where volumes may be provisioned (zones …); empty means anywhere.',
  },
};
