export const SCENES = { boot: 'Boot', preloader: 'Preloader', battle: 'Battle' } as const;
