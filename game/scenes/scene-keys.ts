export const SCENES = {
  boot: 'Boot',
  preloader: 'Preloader',
  battle: 'Battle',
  pilot: 'Pilot',
  floor: 'SpriteFloor',
} as const;
