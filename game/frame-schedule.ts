/** Runs `render` at most once per animation frame however many store events ask for it. */
export function oncePerFrame(render: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      render();
    });
  };
}
