import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEFAULT_CHAOS } from '../../../server/game/chaos/choice.ts';
import type { GameSnapshot, Ship } from '../../../game/store/protocol-types.ts';
import { launchChromium } from '../../support/browser.ts';
import { startSyntheticFeed, type SyntheticFeed } from './synthetic-feed.ts';

/** A ship of `fleet` named after it, flying under a ReplicationController unless `over` says otherwise. */
export const fleetShip = (uid: string, fleet: string, over: Partial<Ship> = {}): Ship => ({
  uid,
  name: `${fleet}-${uid}`,
  namespace: 'default',
  fleet,
  state: 'flying',
  controller: 'ReplicationController',
  ...over,
});

/** The game before anyone plays: connected to the cluster, no round, no ship. */
export const emptyLobby = (): GameSnapshot => ({
  seq: 1,
  connected: true,
  reconnectingSince: null,
  round: null,
  ships: [],
  fleets: [],
  chaos: DEFAULT_CHAOS,
});

export interface FeedFixture {
  feed: SyntheticFeed;
  browser: Browser;
}

/**
 * Registers the hooks of a suite that shows pages fed by a synthetic feed: before, the feed (an empty, connected
 * lobby unless `snapshot` says otherwise) and Chromium; after, both closed. Read the fields inside tests.
 */
export function feedAndBrowser(snapshot: Partial<GameSnapshot> | (() => Partial<GameSnapshot>)): FeedFixture {
  const fixture = {} as FeedFixture;
  before(async () => {
    fixture.feed = await startSyntheticFeed({
      ...emptyLobby(),
      ...(typeof snapshot === 'function' ? snapshot() : snapshot),
    });
    fixture.browser = await launchChromium();
  });
  after(async () => {
    await fixture.browser?.close();
    await fixture.feed?.close();
  });
  return fixture;
}
