// The site the room page tests open: the built pages with the room contract (test/support/test-room.ts) in front
// of a synthetic game feed. The tests speak only the contract and the pages, so swapping this for the real
// `kubewars start --room` (url and instructor token) leaves them unchanged; only the cockpit test pushes game
// patches, which needs the synthetic feed.
import { createTestRoom, type TestRoom } from '../../support/test-room.ts';
import { emptyLobby } from '../game/feed-fixture.ts';
import { FEED_TOKEN, startSyntheticFeed, type SyntheticFeed } from '../game/synthetic-feed.ts';

export interface RoomSite {
  url: string;
  instructorToken: string;
  maxAttendees: number;
  room: TestRoom;
  feed: SyntheticFeed;
  close(): Promise<void>;
}

export async function startRoomSite(maxAttendees: number): Promise<RoomSite> {
  /** The feed, once started: the room reads attendees' fleets from it. */
  const game: { feed?: SyntheticFeed } = {};
  const room = createTestRoom({
    instructorToken: FEED_TOKEN,
    maxAttendees,
    // What the game reports for an attendee: their fleet in the feed, as the engine's fleet(name) would.
    fleet: (name) => game.feed?.state.fleets.find((f) => f.player === name),
  });
  const feed = await startSyntheticFeed(emptyLobby(), { routes: room.app });
  game.feed = feed;
  return { url: feed.url, instructorToken: FEED_TOKEN, maxAttendees, room, feed, close: () => feed.close() };
}
