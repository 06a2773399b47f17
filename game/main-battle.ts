import Phaser from 'phaser';
import { GameStore } from './store/game-store.ts';
import { connectGame } from './net/game-connection.ts';
import { Boot } from './scenes/Boot.ts';
import { Preloader } from './scenes/Preloader.ts';
import { Battle } from './scenes/Battle.ts';
import { chooseRenderer } from './view/renderer-choice.ts';
import { mirrorShips } from './view/state-mirror.ts';
import { mountTextView } from './battle-text-view.ts';

// Entry point of /game: only mounts. Config and scene list live here, in one place.
const params = new URLSearchParams(location.search);
const store = new GameStore();
const mirror = document.getElementById('state-mirror')!;
const writeMirror = (): void => {
  mirror.textContent = JSON.stringify(mirrorShips(store.ships.values()));
};
store.subscribe({ shipAdded: writeMirror, shipChanged: writeMirror, shipRemoved: writeMirror });

if (params.get('view') === 'text') {
  mountTextView(document.getElementById('text-view')!, store);
} else {
  const renderer = chooseRenderer(params.get('renderer'), webglRendererName());
  document.body.dataset['renderer'] = renderer;
  new Phaser.Game({
    type: renderer === 'webgl' ? Phaser.WEBGL : Phaser.CANVAS,
    parent: 'battle',
    backgroundColor: '#05070d',
    scale: { mode: Phaser.Scale.RESIZE, width: window.innerWidth, height: window.innerHeight },
    audio: { noAudio: true },
    scene: [Boot, Preloader, new Battle(store)],
  });
}
connectGame(store, '/game');

function webglRendererName(): string | null {
  const gl = document.createElement('canvas').getContext('webgl');
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}
