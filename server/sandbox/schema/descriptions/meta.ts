// What `kubectl explain` says of the types of meta/v1, the metadata and options every group shares (see ../descriptions.ts).
import type { Texts } from './common.ts';
export const meta: Texts = {
  'meta.v1.Condition': {
    '': "One aspect of an object's state, such as Available or Ready.",
    type: 'What the condition is about.',
    status: 'True, False or Unknown.',
    reason: 'A one-word CamelCase cause of the last change.',
    message: 'A sentence for people about the last change.',
    lastTransitionTime: 'When status last changed.',
    observedGeneration: 'The metadata.generation the condition was computed from.',
  },
  'meta.v1.DeleteOptions': {
    '': 'Options for a delete request.',
    gracePeriodSeconds: 'Seconds the object gets to shut down; 0 deletes at once.',
    propagationPolicy: 'What happens to dependents: Orphan, Background or Foreground.',
    dryRun: 'With All, the deletion is checked but not done.',
    preconditions: 'Delete only if the object still has this uid or resourceVersion.',
    orphanDependents: 'Deprecated: use propagationPolicy Orphan.',
    ignoreStoreReadErrorWithClusterBreakingPotential:
      'Deletes an object the server cannot read; dangerous, for repairs only.',
  },
  'meta.v1.LabelSelector': {
    '': 'Selects objects by their labels. Every condition must hold; an empty selector selects everything.',
    matchLabels: 'Labels an object must carry with exactly these values.',
    matchExpressions: 'Conditions on labels: In, NotIn, Exists, DoesNotExist.',
  },
  'meta.v1.LabelSelectorRequirement': {
    '': 'One condition on a label.',
    key: 'The label key.',
    operator: 'How the label is compared: In, NotIn, Exists or DoesNotExist.',
    values: 'The values for In and NotIn; empty for Exists and DoesNotExist.',
  },
  'meta.v1.ManagedFieldsEntry': {
    '': 'The fields one manager set with one operation.',
    manager: 'The client that set them, e.g. kubectl-client-side-apply.',
    operation: 'Apply or Update.',
    apiVersion: 'The API version the fields are in.',
    time: 'When they were last set.',
    fieldsType: 'How fieldsV1 is written: FieldsV1.',
    fieldsV1: 'The set of fields, as a tree.',
    subresource: 'The subresource written, e.g. status; empty for the object itself.',
  },
  'meta.v1.ObjectMeta': {
    '': 'Standard metadata every object carries: its name, namespace, labels, annotations and bookkeeping the API server fills in.',
    name: 'The object\'s name, unique among objects of its kind in its namespace. Lower case letters, digits, "-" and ".".',
    generateName: 'A prefix from which the server makes a unique name when name is left empty.',
    namespace: 'The namespace the object lives in. Cluster-wide kinds (nodes, namespaces …) have none.',
    uid: 'A unique id the server gives the object when it creates it; read-only.',
    resourceVersion:
      'An opaque version the server changes on every write; sent back on an update to detect concurrent changes.',
    generation: 'A counter of changes to the desired state (spec), set by the server.',
    creationTimestamp: 'When the server created the object (UTC); read-only.',
    deletionTimestamp: 'When the object will be gone: set once deletion is requested, while finalizers run.',
    deletionGracePeriodSeconds: 'The seconds the object is given to shut down once deletion is requested.',
    labels:
      'Key/value pairs for grouping and selecting objects: Services, Deployments and `kubectl get -l` select by them.',
    annotations: 'Key/value pairs for tools and people; never used to select objects.',
    ownerReferences:
      'The objects this one belongs to: when every owner is deleted, the garbage collector deletes it too.',
    finalizers:
      'Names of cleanup steps that must finish before the object is removed; each controller removes its own.',
    managedFields: 'Which client (field manager) set which fields, kept by the server for server-side apply.',
    selfLink: 'Unused: the server leaves it empty.',
  },
  'meta.v1.OwnerReference': {
    '': 'Points at an object that owns this one.',
    apiVersion: "The owner's API version.",
    kind: "The owner's kind.",
    name: "The owner's name.",
    uid: "The owner's uid.",
    controller: 'True for the one owner that manages this object (a ReplicaSet for its pods).',
    blockOwnerDeletion: 'With foreground deletion, the owner waits for this object to be deleted first.',
  },
  'meta.v1.Preconditions': {
    '': 'Conditions a delete checks first.',
    uid: 'The uid the object must have.',
    resourceVersion: 'The resourceVersion the object must have.',
  },
};
