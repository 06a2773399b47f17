// The shape every page table fills. Functions take values already formatted for the language (numbers through
// Intl, see format.ts), so a table only orders the words around them.
import type { RoundStatus, ShipState } from '../store/protocol-types.ts';

export interface PageStrings {
  /** The language's own name, as the switch lists it. */
  languageName: string;
  language: string;
  brand: string;
  units: {
    /** A number of seconds, already formatted: "2.1" → "2.1 s". */
    seconds: (n: string) => string;
    /** A percentage, already formatted: "97.5" → "97.5 %". */
    percent: (n: string) => string;
  };
  player: {
    title: string;
    tagline: string;
    lessons: string;
    battleScreen: string;
    battleAsText: string;
    connectTitle: string;
    connectIntro: string;
    copy: string;
    copied: string;
    pressCtrlC: string;
    nameTitle: string;
    nameLabel: string;
    namePlaceholder: string;
    useName: string;
    nameRule: string;
    nameEmpty: string;
    nameTooLong: string;
    nameCharacters: string;
    launchTitle: string;
    saveManifest: string;
    thenLaunch: string;
    rulesTitle: string;
    rules: string;
  };
  /** The player page in a room (`kubewars start --room`): joining, the kubeconfig and the attendee's cockpit. */
  room: {
    joinTitle: string;
    joinIntro: string;
    nameRule: string;
    join: string;
    joining: string;
    /** The name is someone else's; `suggestion` was put in the box instead. */
    taken: (name: string, suggestion: string) => string;
    full: string;
    throttled: string;
    /** The server refused the name: its own reason, quoted. */
    refused: (reason: string) => string;
    failed: (status: string) => string;
    unreachable: string;
    youAre: (name: string) => string;
    keyNote: string;
    download: string;
    downloadFailed: (status: string) => string;
    commandsIntro: string;
    macLinux: string;
    windows: string;
    leave: string;
    leaveConfirm: string;
    /** The saved key no longer opens the attendee's cluster (removed by the instructor). */
    keyRevoked: (name: string) => string;
    cockpitTitle: string;
    noFleet: string;
    flying: string;
    /** Ships there, none flying yet (image pulls, pending pods). */
    warping: string;
    eliminated: string;
    ships: (flying: string, total: string) => string;
    rank: (rank: string, fleets: string) => string;
    recoveryTimes: (p50: string, p95: string) => string;
    why: (line: string) => string;
    eventsTitle: string;
    noEvents: string;
    /** Who fired a shot, as ShotEvent.source names it. */
    firedBy: { auto: string; manual: string };
    eventHit: (time: string, ship: string, by: string) => string;
    eventDryRun: (time: string, ship: string, by: string) => string;
    eventRefused: (time: string, ship: string, reason: string) => string;
    eventMissed: (time: string, ship: string) => string;
    eventRecovered: (time: string, seconds: string) => string;
  };
  battle: {
    title: string;
    textViewLink: string;
    animatedLink: string;
    backToInstructor: string;
    soundOn: string;
    soundOff: string;
    killFeed: string;
    shipLine: (ship: string, badge: string, state: string) => string;
    shipStates: Record<ShipState, string>;
    bareBadge: string;
  };
  hud: {
    lobby: string;
    round: (id: string, status: string) => string;
    roundStatus: Record<RoundStatus, string>;
    fleetsAlive: (alive: string, total: string) => string;
    connectionLost: string;
    reconnectingFor: (duration: string) => string;
  };
  feed: {
    refused: (target: string, reason: string) => string;
    noReason: string;
    missed: (target: string) => string;
    dryRun: (target: string) => string;
    hit: (target: string) => string;
    recovered: (fleet: string, seconds: string) => string;
  };
  pilot: {
    help: string;
    stats: (lives: string, score: string, kills: string) => string;
    capitalHits: (hits: string) => string;
    gameOver: (score: string) => string;
    needsInstructor: string;
    tokenRefused: string;
  };
  connection: {
    lost: string;
    unreachable: (reason: string) => string;
  };
  instructor: {
    title: string;
    heading: string;
    tokenLabel: string;
    logIn: string;
    wrongToken: string;
    done: string;
    leaderboard: string;
    bigScreen: string;
    pilot: string;
    pilotTitle: string;
    columns: {
      player: string;
      status: string;
      ships: string;
      uptime: string;
      hits: string;
      recoveries: string;
      p50: string;
      p95: string;
      controllers: string;
    };
    alive: string;
    eliminated: string;
    round: string;
    duration: string;
    start: string;
    pause: string;
    resume: string;
    stop: string;
    reset: string;
    resetTitle: string;
    resetConfirm: string;
    hardStop: string;
    hardStopTitle: string;
    hardStopOn: string;
    resumeFire: string;
    fireResumed: string;
    chaos: string;
    autoFire: string;
    interval: string;
    jitter: string;
    budget: string;
    fair: string;
    dryRun: string;
    weapon: string;
    weaponDelete: string;
    weaponEvict: string;
    capitalShips: string;
    capitalEnabled: string;
    capitalHits: string;
    podsLeftBehind: string;
    policyOrphan: string;
    policyBackground: string;
    policyForeground: string;
    apply: string;
    chartTitle: string;
    chartFleetsAlive: string;
    chartShipsFlying: string;
    manualFire: string;
    killFeed: string;
    report: string;
    roundHistory: string;
    lessonProgress: string;
    attendee: string;
    stepsDone: string;
    noAttendee: string;
    progressTokenRefused: string;
    progressFailed: (status: string) => string;
    progressUnreachable: string;
    notStarted: string;
    /** The Attendees panel of a room. */
    attendees: {
      title: string;
      seats: (joined: string, max: string) => string;
      name: string;
      joined: string;
      ships: string;
      stepsDone: string;
      lastActivity: string;
      actions: string;
      none: string;
      download: string;
      remove: string;
      removeConfirm: (name: string) => string;
      removed: (name: string) => string;
      endRoom: string;
      endRoomConfirm: string;
      roomEnded: (removed: string) => string;
      tokenRefused: string;
      failed: (status: string) => string;
      unreachable: string;
    };
    historyLine: (round: string, status: string, when: string) => string;
    historyLeader: (leader: string, fleets: string) => string;
    standings: string;
    diagnosis: {
      barePodHit: string;
      noShipLeft: string;
      barePodUntouched: string;
      neverHit: (ships: number, formatted: string) => string;
      oneReplica: string;
      eliminated: (replicas: string) => string;
      noRecoveryYet: (hits: string, replicas: string) => string;
      recovered: (p95: string, replicas: string) => string;
    };
    timeline: {
      hitAt: (clock: string) => string;
      recoveredAt: (clock: string, seconds: string) => string;
      hits: (n: number, formatted: string) => string;
      recoveries: (n: number, formatted: string) => string;
      slowest: (seconds: string) => string;
    };
  };
}
