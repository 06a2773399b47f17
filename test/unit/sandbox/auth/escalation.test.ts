import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compactString, missingRules } from '../../../../server/sandbox/auth/escalation.ts';

test('rules the owner holds, wildcards and */subresource included, are covered; the rest is reported atom by atom', () => {
  const owned = [
    { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', '*/log'] },
    { verbs: ['*'], apiGroups: ['apps'], resources: ['*'] },
    { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'] },
    { verbs: ['get'], nonResourceURLs: ['/apis/*'] },
  ];
  assert.deepEqual(
    missingRules(owned, [
      { verbs: ['get'], apiGroups: [''], resources: ['pods', 'pods/log'] },
      { verbs: ['delete'], apiGroups: ['apps'], resources: ['deployments/scale'] },
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'] },
      { verbs: ['get'], nonResourceURLs: ['/apis/apps'] },
    ]),
    [],
  );
  assert.deepEqual(
    missingRules(owned, [
      { verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] },
      { verbs: ['get'], nonResourceURLs: ['/healthz'] },
    ]),
    [
      { verbs: ['delete'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] },
      { verbs: ['get'], nonResourceURLs: ['/healthz'] },
    ],
  );
});

test('a rule is printed as Go’s CompactString prints it', () => {
  assert.equal(
    compactString({ verbs: ['get', 'list'], apiGroups: [''], resources: ['nodes'] }),
    '{APIGroups:[""], Resources:["nodes"], Verbs:["get" "list"]}',
  );
  assert.equal(
    compactString({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }),
    '{APIGroups:[""], Resources:["secrets"], ResourceNames:["a"], Verbs:["get"]}',
  );
  assert.equal(
    compactString({ verbs: ['*'], nonResourceURLs: ['*'] }),
    '{NonResourceURLs:["*"], Verbs:["*"]}',
  );
});
