// Benchmark of the game's own logic, with no network: the engine (chaos, scoring, patches, the archive on disk) fed
// by an in-memory cluster through the seams its unit tests use (the informer and the shot client), 1,000 game pods
// in 100 fleets, a round running. A shot is the fire call, the pod's deletion reaching the informer (the in-memory
// cluster reports it at once) and the patch that shows it; a launch is a new flying pod and its patch. Prints the
// engine's CPU per shot and per launch (every thread, and its main thread alone), measured after a warm-up, to set
// beside bench:game's serverCpuMsPerShot and shotFloorCpuMs: what the game itself adds to what the stack costs. Then
// shots again after a long battle (100 recoveries per fleet, about an hour of a busy room): a shot must not cost more
// the longer a round runs. Then the save the game makes once a second, with each fleet's recovery times of ever longer
// battles (up to 2,000 per fleet, the fastest auto fire for three hours): it must not grow with them either. Then one
// JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../server/clock.ts';
import { startGameEngine } from '../server/game/engine.ts';
import { Scoreboard } from '../server/game/scoring/scoreboard.ts';
import { RoundsArchive } from '../server/game/store/rounds-archive.ts';
import { SaveLoop } from '../server/game/store/save-loop.ts';
import { FakeCluster } from '../test/unit/game/fake-cluster.ts';
import { pod } from '../test/unit/game/pods.ts';
import { BATTLE_FLEETS, battleFleetMember, mainThreadCpuUs, percentile } from './support.ts';

const PODS = 1_000;
/** Shots and launches, one after the other, before anything is timed (as bench:game warms up). */
const WARMUP_EVENTS = 500;
const SHOTS = 500;
const LAUNCHES = 500;
/** Shots, each followed by a launch that completes a recovery, between the two measures of shots. */
const BATTLE_SHOTS = 10_000;
/** Each fleet's recoveries for the saves, and the seconds of saves measured at each. */
const RECOVERIES_PER_FLEET = [100, 720, 2_000];
const SAVES = 30;

const dataDir = mkdtempSync(join(tmpdir(), 'kubewars-bench-engine-'));
const cluster = new FakeCluster('main');
const engine = await startGameEngine({
  kubeConfig: cluster.kubeConfig,
  dataDir,
  shotClient: () => cluster,
  podInformers: () => [cluster.informer],
});
engine.setChaos({ auto: false, budgetPerMinute: 1_000_000 });

let created = 0;
const flying: string[] = [];
let patched: (() => void) | undefined;
engine.onPatch(() => patched?.());
const nextPatch = () => new Promise<void>((resolve) => (patched = resolve));

/** A new game pod, Running and ready: a flying ship of the next fleet. */
const put = () => {
  const uid = `ship-uid-${created}`;
  cluster.put(pod({ uid, name: `ship-${created}`, ...battleFleetMember(created) }));
  created++;
  flying.push(uid);
};
const launch = async () => {
  const patch = nextPatch();
  put();
  await patch;
};
/** A shot at a random flying ship, through the instructor's fire call. */
const fire = async () => {
  const [uid] = flying.splice(Math.floor(Math.random() * flying.length), 1) as [string];
  const shot = await engine.fire(uid);
  if (shot.outcome !== 'hit') throw new Error(`a shot was ${shot.outcome}`);
};
/** A shot, once its patch is out. */
const shoot = async () => {
  const patch = nextPatch();
  await fire();
  await patch;
};

for (let i = 0; i < PODS; i++) put();
engine.startRound(3600);
// The round's 3 s countdown: shots count once it runs.
while (engine.state().round?.status !== 'running') await new Promise((resolve) => setTimeout(resolve, 100));

for (let i = 0; i < WARMUP_EVENTS; i++) {
  await shoot();
  await launch();
}

/** The engine's CPU per event (ms, every thread and the main thread alone) over `events` runs of `event`. */
async function measure(events: number, event: () => Promise<void>): Promise<{ all: number; main: number }> {
  const usage = process.cpuUsage();
  const main = mainThreadCpuUs();
  for (let i = 0; i < events; i++) await event();
  const used = process.cpuUsage(usage);
  return { all: (used.user + used.system) / 1000 / events, main: (mainThreadCpuUs() - main) / 1000 / events };
}
const shots = await measure(SHOTS, shoot);
const launches = await measure(LAUNCHES, launch);
// Not waiting for each patch (at most one per 8 ms): the battle's changes go out together, its scores are the same.
// The loop lets timers run every few shots, so patches go out and wrecks leave during the battle, as in a real one;
// the shots after it are measured once its last wrecks have left (2 s after their hit).
for (let i = 0; i < BATTLE_SHOTS; i++) {
  await fire();
  put();
  if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
}
await new Promise((resolve) => setTimeout(resolve, 2_500));
const recoveriesPerFleet = Math.round(
  engine.state().fleets.reduce((sum, fleet) => sum + fleet.recoveries, 0) / BATTLE_FLEETS,
);
const battleShots = await measure(SHOTS, shoot);
await engine.close();

/**
 * The once-a-second save (the save loop's own: the scores, the check that they changed, the archive's transaction),
 * its median over SAVES seconds of a round whose 100 fleets have `perFleet` recoveries each, recorded as the engine
 * records them (the scoreboard's times, the archive's rows).
 */
function saveMs(perFleet: number): number {
  const archive = new RoundsArchive(join(dataDir, `saves-${perFleet}`));
  const board = new Scoreboard();
  let now = 1_000_000;
  const saves = new SaveLoop({
    clock: systemClock,
    scores: () => ({ data: board.toSaved(), standings: board.standings(now) }),
    write: (batch) => archive.save(batch.data, batch.standings, batch.shots, batch.recoveries),
  });
  const fleets = Array.from(
    { length: BATTLE_FLEETS },
    (_, n) => battleFleetMember(n).labels['player'] as string,
  );
  const counts = (flying: number) => ({ flying, total: 2, controllers: ['ReplicaSet' as const] });
  for (const fleet of fleets) board.updateFleet(fleet, counts(2), now);
  board.startRound(36_000, now);
  board.tick((now += 3_000));
  for (let i = 0; i < perFleet; i++) {
    for (const fleet of fleets) {
      const uid = `${fleet}-${i}`;
      board.updateFleet(fleet, counts(1), (now += 1), [uid]);
      board.hit(fleet, uid, { wasFlying: true, stillFlying: false }, now);
      for (const ms of board.updateFleet(fleet, counts(2), (now += 1_000 + (i % 4_000)))) {
        saves.recovery({ time: now, round: 1, fleet, ms });
      }
    }
    // The rows go out as the game writes them: a second's worth at a time.
    if (i % 10 === 0) saves.saveNow();
  }
  const times: number[] = [];
  for (let second = 0; second < SAVES; second++) {
    now += 1_000;
    const started = performance.now();
    saves.saveNow();
    times.push(performance.now() - started);
  }
  saves.close();
  archive.close();
  return percentile(times, 50, 2);
}
const saveCost = Object.fromEntries(RECOVERIES_PER_FLEET.map((perFleet) => [perFleet, saveMs(perFleet)]));
rmSync(dataDir, { recursive: true, force: true });

console.log(
  `engine CPU per shot: ${shots.all.toFixed(3)} ms (main thread ${shots.main.toFixed(3)} ms), ${SHOTS} shots at ${PODS} ships in ${BATTLE_FLEETS} fleets`,
);
console.log(
  `engine CPU per launch: ${launches.all.toFixed(3)} ms (main thread ${launches.main.toFixed(3)} ms), ${LAUNCHES} launches`,
);
console.log(
  `engine CPU per shot after a long battle (${recoveriesPerFleet} recoveries per fleet): ${battleShots.all.toFixed(3)} ms (main thread ${battleShots.main.toFixed(3)} ms)`,
);
for (const [perFleet, ms] of Object.entries(saveCost)) {
  console.log(
    `the save once a second, ${BATTLE_FLEETS} fleets with ${perFleet} recovery times each: ${ms} ms (median of ${SAVES})`,
  );
}
console.log(
  JSON.stringify({
    pods: PODS,
    fleets: BATTLE_FLEETS,
    engineCpuMsPerShot: Math.round(shots.all * 1000) / 1000,
    engineMainThreadMsPerShot: Math.round(shots.main * 1000) / 1000,
    engineCpuMsPerLaunch: Math.round(launches.all * 1000) / 1000,
    engineMainThreadMsPerLaunch: Math.round(launches.main * 1000) / 1000,
    recoveriesPerFleet,
    engineCpuMsPerShotAfterBattle: Math.round(battleShots.all * 1000) / 1000,
    saveMsByRecoveriesPerFleet: saveCost,
  }),
);
