// Shapes and sentences the description tables share.

/** Descriptions by message name, then by field name; '' is the type's own description. */
export type Texts = Record<string, Record<string, string>>;

/** The `metadata` field of a kind. */
export const metadata = (what: string) => `The ${what}'s name, namespace (if any), labels and annotations.`;

/** The fields every condition type repeats, and the type's own line. */
export const condition = (of: string, types: string): Record<string, string> => ({
  '': `One aspect of the ${of}'s state, as kubectl describe lists it.`,
  type: `What the condition is about: ${types}.`,
  status: 'True, False or Unknown.',
  lastTransitionTime: 'When status last changed.',
  reason: 'A one-word CamelCase cause of the last change.',
  message: 'A sentence for people about the last change.',
});
