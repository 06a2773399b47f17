import { LiveGameState } from './store/live-game-state.ts';
import { oncePerFrame } from './frame-schedule.ts';
import { connectGame } from './net/game-connection.ts';
import { InstructorApi } from './net/instructor-api.ts';
import { forgetToken, saveToken, takeToken } from './instructor/token.ts';
import { leaderboardHeader, renderLeaderboard } from './instructor/leaderboard-table.ts';
import { drawChart } from './instructor/live-chart.ts';
import { MiniBattle } from './instructor/mini-battle.ts';
import { startProgressGrid } from './instructor/progress-grid.ts';
import { startAttendeesPanel } from './instructor/attendees-panel.ts';
import { roomInfo } from './net/room-api.ts';
import { fillChaosForm, readChaosForm, showHalted } from './instructor/chaos-form.ts';
import { renderRoundHistory } from './instructor/round-history.ts';
import type { ChaosSettings } from './store/protocol-types.ts';
import { EMPTY_SERIES, tickSeries } from './view/chart-series.ts';
import { diagnose } from './view/diagnosis.ts';
import { fleetTimelines, type FleetTimeline } from './view/round-timeline.ts';
import { timelineStrip } from './instructor/timeline-strip.ts';
import { hudLines } from './view/hud.ts';
import { recoveryLine, shotLine } from './view/kill-feed.ts';
import { words } from './i18n/language.ts';
import { formatTime } from './i18n/format.ts';
import { startPageLanguage } from './i18n/page.ts';
import { saveFile } from './save-file.ts';

// Entry point of /instructor: login, then every panel subscribes to one store fed by the /instructor namespace.
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
startPageLanguage();
const t = words().instructor;
const message = $<HTMLParagraphElement>('message');
const say = (text: string, bad = false): void => {
  message.textContent = text;
  message.className = bad ? 'bad' : '';
};

const token = takeToken();
if (!token) {
  $('login').hidden = false;
} else {
  start(token);
}
$<HTMLFormElement>('login').addEventListener('submit', (e) => {
  e.preventDefault();
  saveToken($<HTMLInputElement>('token').value.trim());
  location.reload();
});

function start(token: string): void {
  const api = new InstructorApi(token);
  const store = new LiveGameState();
  const socket = connectGame(store, '/instructor', token);
  socket.on('connect', () => {
    $('login').hidden = true;
    $('console').hidden = false;
    say('');
  });
  // socket.io-client reports every failed reconnect as connect_error too; only a refusal by the server's token
  // check leaves the socket inactive. Anything else is the network: keep the token and let it reconnect.
  socket.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect') say(words().connection.lost, true);
  });
  socket.on('connect_error', (err) => {
    if (socket.active) {
      say(words().connection.unreachable(err.message), true);
      return;
    }
    forgetToken();
    socket.disconnect();
    $('login').hidden = false;
    $('console').hidden = true;
    say(t.wrongToken, true);
  });

  const run = (what: Promise<unknown>): void => {
    what.then(() => say(t.done)).catch((err: Error) => say(err.message, true));
  };

  leaderboardHeader($<HTMLTableElement>('leaderboard').createTHead());
  const body = $<HTMLTableElement>('leaderboard').createTBody();
  const mini = new MiniBattle($<HTMLCanvasElement>('mini'), (uid) => run(api.fire(uid)));
  const feed = $<HTMLOListElement>('feed');
  let series = EMPTY_SERIES;
  /** The finished round's per-fleet hits and recoveries, for the report; null while a round is on. */
  let timelines: { round: number; fleets: Map<string, FleetTimeline> | null } | null = null;

  const addFeedLine = (time: number, line: string): void => {
    const item = document.createElement('li');
    item.textContent = `${formatTime(time)} ${line}`;
    feed.prepend(item);
    while (feed.children.length > 200) feed.lastElementChild?.remove();
  };

  const refresh = oncePerFrame(() => {
    renderLeaderboard(body, store.fleets.values());
    mini.draw(store.ships.values());
    renderReport();
  });
  store.subscribe({
    shipAdded: refresh,
    shipChanged: refresh,
    shipRemoved: refresh,
    fleetChanged: refresh,
    fleetRemoved: refresh,
    roundChanged: (round) => {
      if (round?.id !== timelines?.round) timelines = null;
      if (round?.status === 'finished' && timelines === null) {
        void loadHistory();
        void loadTimelines(round.id);
      }
      refresh();
    },
    shot: (shot) => addFeedLine(shot.time, shotLine(shot)),
    recovered: (recovery) => addFeedLine(recovery.time, recoveryLine(recovery)),
  });

  setInterval(() => {
    const fleets = [...store.fleets.values()];
    const counts = {
      fleetsAlive: fleets.filter((f) => f.alive).length,
      shipsFlying: [...store.ships.values()].filter((s) => s.state === 'flying').length,
    };
    series = tickSeries(series, store.round, counts, Date.now());
    drawChart($<HTMLCanvasElement>('chart'), series, counts);
    const hud = hudLines(store, Date.now());
    $('status').textContent = [hud.status, hud.warning].filter(Boolean).join(' — ');
  }, 1000);

  function renderReport(): void {
    const list = $<HTMLUListElement>('report');
    list.replaceChildren(
      ...[...store.fleets.values()].map((f) => {
        const item = document.createElement('li');
        const name = document.createElement('strong');
        name.textContent = f.player;
        item.append(name, `: ${diagnose(f)}`);
        const timeline = timelines?.fleets?.get(f.player);
        if (timeline) item.append(timelineStrip(f.player, timeline));
        return item;
      }),
    );
  }

  async function loadTimelines(id: number): Promise<void> {
    // Marked as loading first, so a snapshot arriving meanwhile does not ask again.
    timelines = { round: id, fleets: null };
    try {
      const detail = await api.round(id);
      if (timelines?.round !== id) return;
      timelines = { round: id, fleets: fleetTimelines(detail) };
      refresh();
    } catch (err) {
      say((err as Error).message, true);
    }
  }

  async function loadHistory(): Promise<void> {
    try {
      renderRoundHistory($<HTMLUListElement>('history'), await api.rounds(), {
        standings: (id) => api.round(id),
        exportRound: (id, format) => void exportRound(id, format),
        failed: (err) => say(err.message, true),
      });
    } catch (err) {
      say((err as Error).message, true);
    }
  }

  async function exportRound(id: number, format: 'csv' | 'json'): Promise<void> {
    try {
      saveFile(await api.download(id, format), `kubewars-round-${id}.${format}`);
    } catch (err) {
      say((err as Error).message, true);
    }
  }

  const form = $<HTMLFormElement>('controls');
  const value = (name: string): string => (form.elements.namedItem(name) as HTMLInputElement).value;
  const halt = $<HTMLButtonElement>('halt');
  let halted = false;
  const showChaos = (chaos: ChaosSettings): void => {
    fillChaosForm(form, chaos);
    halted = chaos.halted;
    showHalted(halt, halted);
  };
  const applyChaos = (update: Parameters<InstructorApi['setChaos']>[0], done: string): void => {
    api
      .setChaos(update)
      .then((chaos) => {
        showChaos(chaos);
        say(done);
      })
      .catch((err: Error) => say(err.message, true));
  };
  // The settings in force come on the live feed: a change from another tab (a hard stop) shows here at once.
  store.subscribe({ chaosChanged: showChaos });
  if (store.chaos) showChaos(store.chaos);
  $('start').addEventListener('click', () => run(api.startRound(Number(value('duration')))));
  for (const action of ['pause', 'resume', 'stop'] as const) {
    $(action).addEventListener('click', () => run(api.roundAction(action)));
  }
  $('reset').addEventListener('click', () => {
    if (confirm(t.resetConfirm)) run(api.resetRound());
  });
  halt.addEventListener('click', () =>
    applyChaos({ halted: !halted }, halted ? t.fireResumed : t.hardStopOn),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    applyChaos(readChaosForm(form), t.done);
  });
  $('big-screen').addEventListener('click', () => document.body.classList.toggle('big-screen'));
  // Same tab on purpose: pilot mode reads the token from this tab's sessionStorage, never from the URL.
  $('pilot').addEventListener('click', () => location.assign('/game?pilot=1'));
  void loadHistory();
  startProgressGrid($<HTMLTableElement>('progress'), token);
  // The Attendees panel exists in a room only (`kubewars start --room`).
  void roomInfo()
    .catch(() => null)
    .then((room) => {
      if (!room) return;
      $('attendees-panel').hidden = false;
      startAttendeesPanel({
        table: $<HTMLTableElement>('attendees'),
        seats: $('attendee-seats'),
        endRoom: $<HTMLButtonElement>('end-room'),
        maxAttendees: room.maxAttendees,
        api,
        say,
      });
    });
}
