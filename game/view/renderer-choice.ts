/** Which Phaser renderer to use: measured, software WebGL (SwiftShader, llvmpipe) is far slower than Canvas. */
export type RendererChoice = 'canvas' | 'webgl';

const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software/i;

export function chooseRenderer(forced: string | null, webglRendererName: string | null): RendererChoice {
  if (forced === 'canvas' || forced === 'webgl') return forced;
  if (webglRendererName === null || SOFTWARE_GL.test(webglRendererName)) return 'canvas';
  return 'webgl';
}
