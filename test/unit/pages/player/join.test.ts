import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { playerNameProblem } from '../../../../game/player/fleet.ts';
import {
  connectCommands,
  joinProblem,
  kubeconfigFileName,
  offeredName,
  suggestName,
} from '../../../../game/player/join.ts';
import { useLanguage } from '../../../../game/i18n/language.ts';
import { PAGE_TABLES } from '../../../../game/i18n/page-strings.ts';

afterEach(() => useLanguage('en'));

test('a taken name is offered back with a number, and a numbered one with the next number', () => {
  assert.equal(suggestName('rey'), 'rey-2');
  assert.equal(suggestName('rey-2'), 'rey-3');
  assert.equal(suggestName('rey-skywalker'), 'rey-skywalker-2');
  assert.equal(suggestName('r2-d2'), 'r2-d2-2');
});

test('a suggestion is always a valid pilot name, even from a name at the length limit', () => {
  for (const name of ['a'.repeat(63), `${'a'.repeat(61)}-9`, 'x-99', 'Han.Solo']) {
    const suggestion = suggestName(name);
    assert.equal(playerNameProblem(suggestion), undefined, suggestion);
    assert.ok(suggestion.length <= 63);
    assert.notEqual(suggestion, name);
  }
  assert.equal(suggestName('a'.repeat(63)), `${'a'.repeat(61)}-2`);
});

test('the kubeconfig is saved as kubewars-<name>.kubeconfig and both shells point KUBECONFIG at it', () => {
  assert.equal(kubeconfigFileName('rey'), 'kubewars-rey.kubeconfig');
  const commands = connectCommands('rey');
  assert.equal(
    commands.posix,
    'export KUBECONFIG="$HOME/Downloads/kubewars-rey.kubeconfig"\nkubectl get nodes',
  );
  assert.equal(
    commands.powershell,
    '$env:KUBECONFIG = "$HOME\\Downloads\\kubewars-rey.kubeconfig"\nkubectl get nodes',
  );
});

test('each refused join says why in the page language, a taken name with its suggestion', () => {
  assert.equal(
    joinProblem({ kind: 'taken' }, 'rey'),
    'The name rey is already taken. rey-2 is in the box: press Join to try it, or choose another.',
  );
  assert.equal(joinProblem({ kind: 'full' }, 'rey'), PAGE_TABLES.en.room.full);
  assert.equal(
    joinProblem({ kind: 'invalid', error: 'bad name' }, 'rey'),
    'The server refused this name: bad name',
  );
  assert.match(joinProblem({ kind: 'failed', status: 500 }, 'rey'), /answered 500/);
  useLanguage('fr');
  assert.match(joinProblem({ kind: 'taken' }, 'rey'), /^Le nom rey est déjà pris\. rey-2/);
  assert.equal(joinProblem({ kind: 'full' }, 'rey'), PAGE_TABLES.fr.room.full);
});

test('the server’s suggestion for a taken name wins, as it knows which names are free; a bad one is not offered', () => {
  assert.equal(offeredName({ kind: 'taken', suggestion: 'rey-3' }, 'rey'), 'rey-3');
  assert.equal(offeredName({ kind: 'taken' }, 'rey'), 'rey-2');
  assert.equal(offeredName({ kind: 'taken', suggestion: '<b>rey</b>' }, 'rey'), 'rey-2');
  assert.match(joinProblem({ kind: 'taken', suggestion: 'rey-3' }, 'rey'), /rey-3 is in the box/);
});

test('too many joins from one network in a minute asks to wait', () => {
  assert.equal(joinProblem({ kind: 'throttled' }, 'rey'), PAGE_TABLES.en.room.throttled);
});
