import { apps } from './descriptions/apps.ts';
import { authentication } from './descriptions/authentication.ts';
import { authorization } from './descriptions/authorization.ts';
import { autoscaling } from './descriptions/autoscaling.ts';
import { batch } from './descriptions/batch.ts';
import { coordination } from './descriptions/coordination.ts';
import { coreObjects } from './descriptions/core-objects.ts';
import { corePods } from './descriptions/core-pods.ts';
import { coreVolumes } from './descriptions/core-volumes.ts';
import { discovery } from './descriptions/discovery.ts';
import { meta } from './descriptions/meta.ts';
import { networking } from './descriptions/networking.ts';
import { policy } from './descriptions/policy.ts';
import { rbac } from './descriptions/rbac.ts';
import { scheduling } from './descriptions/scheduling.ts';
import { storage } from './descriptions/storage.ts';
import type { Texts } from './descriptions/common.ts';
import { fieldsOf } from '../validation-fields/fields.ts';

// What `kubectl explain` tells a learner about each type and field, in the course's own words. Keyed by the message
// names of the protobuf schema table (server/sandbox/api/protobuf/schema.ts), which also drives field validation:
// a key naming a type or field the table lacks fails the unit test, so the texts cannot outlive the fields.
// '' is the type's own description. One file per API group under descriptions/ (core in three: pods, volumes,
// other objects). Fields without an entry are published without a description. No '%' sign: kubectl 1.20 prints
// descriptions as format strings ("25%" comes out as `25%!"(MISSING)`).

const byGroup: Texts = {
  ...apps,
  ...authentication,
  ...authorization,
  ...autoscaling,
  ...batch,
  ...coordination,
  ...coreObjects,
  ...corePods,
  ...coreVolumes,
  ...discovery,
  ...meta,
  ...networking,
  ...policy,
  ...rbac,
  ...scheduling,
  ...storage,
};

/**
 * Structs Go embeds in one other type (`...` in the schema table), and that type: the OpenAPI v2 document publishes
 * them too, and their fields mean there what they mean in the embedding type, so they take its texts.
 */
const embeddedIn: Record<string, string> = {
  'core.v1.EphemeralContainerCommon': 'core.v1.EphemeralContainer',
  'core.v1.PersistentVolumeSource': 'core.v1.PersistentVolumeSpec',
  'core.v1.ProbeHandler': 'core.v1.Probe',
  'core.v1.VolumeSource': 'core.v1.Volume',
  'networking.v1.IngressRuleValue': 'networking.v1.IngressRule',
};

export const descriptions: Texts = { ...byGroup };
for (const [part, whole] of Object.entries(embeddedIn)) {
  const lent = [...fieldsOf(part, false).keys()].flatMap((field) => {
    const text = byGroup[whole]?.[field];
    return text ? [[field, text] as const] : [];
  });
  descriptions[part] = { ...Object.fromEntries(lent), ...byGroup[part] };
}
