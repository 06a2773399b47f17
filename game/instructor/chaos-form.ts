import type { ChaosSettings, ChaosUpdate } from '../store/protocol-types.ts';
import { words } from '../i18n/language.ts';

// The instructor's chaos form mirrors the server's settings: it is filled from what the server answered, so a
// reload, a second instructor tab or `kubewars start` flags never leave it showing values that are not in force.

const field = (form: HTMLFormElement, name: string): HTMLInputElement | HTMLSelectElement => {
  const element = form.elements.namedItem(name);
  if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) {
    throw new Error(`the chaos form has no field "${name}"`);
  }
  return element;
};
const setChecked = (form: HTMLFormElement, name: string, value: boolean): void => {
  (field(form, name) as HTMLInputElement).checked = value;
};
const isChecked = (form: HTMLFormElement, name: string): boolean =>
  (field(form, name) as HTMLInputElement).checked;
const numberOf = (form: HTMLFormElement, name: string): number => Number(field(form, name).value);

/** Fills the form and enables it: it stays disabled until the settings in force are known. */
export function fillChaosForm(form: HTMLFormElement, chaos: ChaosSettings): void {
  for (const part of form.querySelectorAll<HTMLFieldSetElement | HTMLButtonElement>(
    'fieldset.chaos, [type=submit]',
  )) {
    part.disabled = false;
  }
  setChecked(form, 'auto', chaos.auto);
  field(form, 'interval').value = String(chaos.intervalSeconds);
  field(form, 'jitter').value = String(Math.round(chaos.jitter * 100));
  field(form, 'budget').value = String(chaos.budgetPerMinute);
  setChecked(form, 'fair', chaos.fair);
  setChecked(form, 'dryRun', chaos.dryRun);
  field(form, 'weapon').value = chaos.weapon;
  setChecked(form, 'capital', chaos.capitalShips.enabled);
  field(form, 'capitalHits').value = String(chaos.capitalShips.hitsToDestroy);
  field(form, 'capitalPolicy').value = chaos.capitalShips.propagationPolicy;
}

/** What the form asks for; the hard stop and pause have their own buttons and are left as they are. */
export function readChaosForm(form: HTMLFormElement): ChaosUpdate {
  const policy = field(form, 'capitalPolicy').value;
  return {
    auto: isChecked(form, 'auto'),
    intervalSeconds: numberOf(form, 'interval'),
    jitter: numberOf(form, 'jitter') / 100,
    budgetPerMinute: numberOf(form, 'budget'),
    fair: isChecked(form, 'fair'),
    dryRun: isChecked(form, 'dryRun'),
    weapon: field(form, 'weapon').value === 'evict' ? 'evict' : 'delete',
    capitalShips: {
      enabled: isChecked(form, 'capital'),
      hitsToDestroy: numberOf(form, 'capitalHits'),
      propagationPolicy: policy === 'Background' || policy === 'Foreground' ? policy : 'Orphan',
    },
  };
}

/** The hard-stop button says what pressing it will do, and the page says when every shot is refused. */
export function showHalted(button: HTMLButtonElement, halted: boolean): void {
  button.disabled = false;
  button.textContent = halted ? words().instructor.resumeFire : words().instructor.hardStop;
  button.classList.toggle('danger', !halted);
  button.setAttribute('aria-pressed', String(halted));
}
