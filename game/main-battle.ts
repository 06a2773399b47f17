import Phaser from 'phaser';
import { LiveGameState } from './store/live-game-state.ts';
import { connectGame } from './net/game-connection.ts';
import { InstructorApi } from './net/instructor-api.ts';
import { takeToken } from './instructor/token.ts';
import { Keyboard } from './pilot/keyboard.ts';
import { PilotSession } from './pilot/session.ts';
import { PilotWorld } from './pilot/world.ts';
import { Boot } from './scenes/Boot.ts';
import { Preloader } from './scenes/Preloader.ts';
import { Battle } from './scenes/Battle.ts';
import { Pilot } from './scenes/Pilot.ts';
import { SpriteFloor } from './scenes/SpriteFloor.ts';
import { SCENES } from './scenes/scene-keys.ts';
import { soundForCue, soundForShot } from './sound/cues.ts';
import { SoundEffects } from './sound/sfx.ts';
import { chooseRenderer } from './view/renderer-choice.ts';
import { mirrorShips } from './view/state-mirror.ts';
import { mountTextView } from './battle-text-view.ts';
import { seededRandom } from '../server/random.ts';
import { words } from './i18n/language.ts';
import { startPageLanguage } from './i18n/page.ts';

// Entry point of /game: only mounts. Config and scene list live here, in one place.
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
startPageLanguage();
const store = new LiveGameState();
const mirror = $('state-mirror');
let mirrorDue = false;
/**
 * Once per patch, not once per ship: a snapshot of 1,000 ships was 1,000 rewrites of a growing list. A patch holds
 * one state per ship, so every state a ship passes through is still written.
 */
const writeMirror = (): void => {
  if (mirrorDue) return;
  mirrorDue = true;
  queueMicrotask(() => {
    mirrorDue = false;
    mirror.textContent = JSON.stringify(mirrorShips(store.ships.values()));
  });
};
store.subscribe({ shipAdded: writeMirror, shipChanged: writeMirror, shipRemoved: writeMirror });

const sfx = new SoundEffects(localStorage);
mountSoundToggle($<HTMLButtonElement>('sound-toggle'));
const say = (text: string): void => {
  $('pilot-message').textContent = text;
};

// Pilot mode is the instructor's: it needs the token the instructor screen keeps in this tab's sessionStorage.
const pilotToken = params.get('pilot') === '1' ? takeToken() : null;
if (params.get('pilot') === '1' && !pilotToken) {
  say(words().pilot.needsInstructor);
}

const viewLink = $<HTMLAnchorElement>('view-link');
if (params.get('view') === 'text') {
  viewLink.href = '/game';
  viewLink.textContent = words().battle.animatedLink;
  mountTextView($('text-view'), store);
  connectGame(store, '/game');
} else if (pilotToken) {
  startPilot(pilotToken);
} else if (params.get('bench') === 'floor') {
  // bench:fps's floor: the same ships as sprites alone, in this page with its renderer and feed.
  startPhaser([Boot, new Preloader(SCENES.floor), new SpriteFloor(store)]);
  connectGame(store, '/game');
} else {
  store.subscribe({
    shot: (shot, replayed) => {
      if (!replayed) sfx.play(soundForShot(shot));
    },
    shipRemoved: () => sfx.play('explosion'),
    shipAdded: (ship) => ship.state === 'warping' && sfx.play('warp'),
  });
  const sceneMirror = $('scene-mirror');
  const battle = new Battle(store, (shown) => {
    const text = JSON.stringify(shown);
    if (sceneMirror.textContent !== text) sceneMirror.textContent = text;
  });
  startPhaser([Boot, new Preloader(), battle]);
  connectGame(store, '/game');
}

function startPilot(token: string): void {
  document.body.dataset['mode'] = 'pilot';
  // The keyboard is the pilot's: nothing else takes focus.
  viewLink.remove();
  $('pilot-bar').hidden = false;
  const api = new InstructorApi(token);
  const seed = params.get('seed');
  const random = seed === null ? Math.random : seededRandom(Number(seed));
  const world = new PilotWorld({ width: window.innerWidth, height: window.innerHeight }, random);
  const session = new PilotSession(world, store, api, random);
  session.onCue((cue) => {
    if (cue.type === 'message') say(cue.text);
    const sound = soundForCue(cue);
    if (sound) sfx.play(sound);
  });
  const pilotState = $('pilot-state');
  setInterval(() => (pilotState.textContent = JSON.stringify(session.mirror())), 200);
  startPhaser([Boot, new Preloader(SCENES.pilot), new Pilot(store, session, new Keyboard(window))]);
  // The instructor namespace checks the token, so a stale one is reported at once rather than at the first hit.
  const socket = connectGame(store, '/instructor', token);
  socket.on('connect', () => say(''));
  socket.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect') say(words().connection.lost);
  });
  // Failed reconnects are connect_errors too: only an inactive socket was refused by the server's token check.
  socket.on('connect_error', (err) => {
    if (socket.active) {
      say(words().connection.unreachable(err.message));
      return;
    }
    socket.disconnect();
    say(words().pilot.tokenRefused);
  });
}

function startPhaser(scene: Phaser.Types.Scenes.SceneType[]): void {
  const renderer = chooseRenderer(params.get('renderer'), webglRendererName());
  document.body.dataset['renderer'] = renderer;
  new Phaser.Game({
    type: renderer === 'webgl' ? Phaser.WEBGL : Phaser.CANVAS,
    parent: 'battle',
    backgroundColor: '#05070d',
    scale: { mode: Phaser.Scale.RESIZE, width: window.innerWidth, height: window.innerHeight },
    // Phaser's own audio stays off: the sound effects are synthesised by sound/sfx.ts.
    audio: { noAudio: true },
    scene,
  });
}

function mountSoundToggle(button: HTMLButtonElement): void {
  const show = (): void => {
    button.textContent = sfx.enabled ? words().battle.soundOn : words().battle.soundOff;
    button.setAttribute('aria-pressed', String(sfx.enabled));
  };
  button.addEventListener('click', () => {
    sfx.setEnabled(!sfx.enabled);
    show();
    // Leave the keyboard to the pilot: a focused button would take Space as a click.
    button.blur();
  });
  show();
}

function webglRendererName(): string | null {
  const gl = document.createElement('canvas').getContext('webgl');
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}
