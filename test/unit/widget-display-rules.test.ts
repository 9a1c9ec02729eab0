// unit: the widget's display rules (pure) and the controller that applies them, on fake timers and a fake
// localStorage: delay after load, % sample, recontact after a response or a dismissal, a global cooldown across
// surveys, manual-only mode, consent before storing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWidget, QUEUE_KEY, type OpenHooks, type Ui } from '../../web-widget/src/core/controller.js';
import { configOf, optionsOfDataset } from '../../web-widget/src/core/options.js';
import { autoDisplayVerdict, DAY_MS, readState, recordEvent, STATE_KEY, type DisplayRules, type VisitorState } from '../../web-widget/src/core/rules.js';

const T0 = Date.parse('2026-11-02T09:00:00Z');

class MemoryStorage {
  readonly map = new Map<string, string>();
  writes = 0;
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.writes += 1;
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

const rules = (overrides: Partial<DisplayRules> = {}): DisplayRules => ({
  surveyId: 'demo',
  trigger: 'auto',
  sample: 100,
  recontactDays: 30,
  dismissDays: 7,
  cooldownDays: 1,
  ...overrides,
});

describe('autoDisplayVerdict', () => {
  const fresh: VisitorState = { v: {} };

  it('shows to a new visitor inside the sample, and never in manual mode', () => {
    expect(autoDisplayVerdict(rules(), fresh, 99.9, T0)).toBe('show');
    expect(autoDisplayVerdict(rules({ sample: 25 }), fresh, 24.9, T0)).toBe('show');
    expect(autoDisplayVerdict(rules({ sample: 25 }), fresh, 25, T0)).toBe('sampled-out');
    expect(autoDisplayVerdict(rules({ sample: 0 }), fresh, 0, T0)).toBe('sampled-out');
    expect(autoDisplayVerdict(rules({ trigger: 'manual' }), fresh, 0, T0)).toBe('manual');
  });

  it('waits recontactDays after a response and dismissDays after a dismissal', () => {
    // Prepare
    const answered = recordEvent(fresh, 'demo', 'answered', T0);
    const dismissed = recordEvent(fresh, 'demo', 'dismissed', T0);
    const noCooldown = rules({ cooldownDays: 0 });

    // Assess
    expect(autoDisplayVerdict(noCooldown, answered, 0, T0 + 30 * DAY_MS - 1)).toBe('answered-recently');
    expect(autoDisplayVerdict(noCooldown, answered, 0, T0 + 30 * DAY_MS)).toBe('show');
    expect(autoDisplayVerdict(noCooldown, dismissed, 0, T0 + 7 * DAY_MS - 1)).toBe('dismissed-recently');
    expect(autoDisplayVerdict(noCooldown, dismissed, 0, T0 + 7 * DAY_MS)).toBe('show');
  });

  it('holds every survey for cooldownDays after any survey was shown', () => {
    // Prepare
    const shownOther = recordEvent(fresh, 'checkout', 'shown', T0);

    // Assess
    expect(autoDisplayVerdict(rules(), shownOther, 0, T0 + DAY_MS - 1)).toBe('cooling-down');
    expect(autoDisplayVerdict(rules(), shownOther, 0, T0 + DAY_MS)).toBe('show');
    expect(autoDisplayVerdict(rules({ cooldownDays: 0 }), shownOther, 0, T0)).toBe('show');
  });

  it('reads a missing, malformed or foreign stored state as a new visitor', () => {
    const storage = new MemoryStorage();
    expect(readState(storage)).toEqual({ v: {} });
    storage.setItem(STATE_KEY, '{not json');
    expect(readState(storage)).toEqual({ v: {} });
    storage.setItem(STATE_KEY, '[1,2]');
    expect(readState(storage)).toEqual({ v: {} });
    expect(readState(undefined)).toEqual({ v: {} });
  });
});

describe('mount options', () => {
  it('fill defaults, clamp out-of-range numbers and trim the endpoint', () => {
    expect(configOf({ surveyId: 'demo', endpoint: 'https://f.example/' })).toMatchObject({
      endpoint: 'https://f.example',
      trigger: 'auto',
      delay: 3,
      sample: 100,
      recontactDays: 30,
      dismissDays: 7,
      cooldownDays: 1,
      consentRequired: false,
    });
    expect(configOf({ surveyId: 'demo', endpoint: 'x', sample: 250, delay: -1, trigger: 'sometimes' as 'auto' })).toMatchObject({ sample: 100, delay: 3, trigger: 'auto' });
    expect(configOf({ surveyId: '', endpoint: 'x' })).toBeUndefined();
  });

  it('come from a script tag\'s data attributes, a bare data-consent-required meaning yes', () => {
    // Prepare: what the DOM hands over for data-survey, data-delay="0", data-sample="20", data-consent-required, …
    const dataset = { survey: 'demo', delay: '0', sample: '20', recontactDays: '14', trigger: 'manual', consentRequired: '', customerRef: 'c-1' };

    // Act
    const config = configOf(optionsOfDataset(dataset, 'https://cdn.example'));

    // Assess
    expect(config).toMatchObject({ surveyId: 'demo', endpoint: 'https://cdn.example', delay: 0, sample: 20, recontactDays: 14, trigger: 'manual', consentRequired: true, customerRef: 'c-1' });
    expect(configOf(optionsOfDataset({ survey: 'demo', consentRequired: 'false' }, 'https://x'))?.consentRequired).toBe(false);
  });
});

describe('the widget controller', () => {
  let storage: MemoryStorage;
  let ui: { open: ReturnType<typeof vi.fn<Ui['open']>>; close: ReturnType<typeof vi.fn<Ui['close']>>; flush: ReturnType<typeof vi.fn<Ui['flush']>> };
  let loadUi: ReturnType<typeof vi.fn<() => Promise<Ui>>>;
  let loadListeners: (() => void)[];
  let readyState: DocumentReadyState;

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    storage = new MemoryStorage();
    ui = { open: vi.fn(), close: vi.fn(), flush: vi.fn() };
    loadUi = vi.fn(async () => ui);
    loadListeners = [];
    readyState = 'complete';
    vi.stubGlobal('localStorage', storage);
    vi.stubGlobal('document', {
      get readyState() {
        return readyState;
      },
    });
    vi.stubGlobal('addEventListener', (type: string, listener: () => void) => type === 'load' && loadListeners.push(listener));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const hooksOfLastOpen = () => ui.open.mock.lastCall?.[1] as OpenHooks;
  const stored = () => JSON.parse(storage.getItem(STATE_KEY) ?? 'null') as VisitorState | null;

  it('opens by itself after the delay, without taking focus, and fetches the UI during the delay', async () => {
    // Prepare
    const widget = createWidget(loadUi, Date.now, () => 0.5);

    // Act
    widget.mount({ surveyId: 'demo', endpoint: 'https://f.example', delay: 3 });
    await vi.advanceTimersByTimeAsync(2_999);
    const openedEarly = ui.open.mock.calls.length;
    await vi.advanceTimersByTimeAsync(1);

    // Assess
    expect(loadUi).toHaveBeenCalledTimes(1);
    expect(openedEarly).toBe(0);
    expect(ui.open).toHaveBeenCalledTimes(1);
    expect(ui.open.mock.calls[0]?.[0]).toMatchObject({ surveyId: 'demo', endpoint: 'https://f.example' });
    expect(hooksOfLastOpen().focus).toBe(false);
    expect(stored()).toMatchObject({ l: T0 + 3_000, s: 50 });
  });

  it('counts the delay from the page\'s load event', async () => {
    // Prepare
    readyState = 'interactive';
    const widget = createWidget(loadUi);

    // Act
    widget.mount({ surveyId: 'demo', endpoint: 'https://f.example', delay: 1 });
    await vi.advanceTimersByTimeAsync(5_000);
    const beforeLoad = ui.open.mock.calls.length;
    loadListeners.forEach((listener) => listener());
    await vi.advanceTimersByTimeAsync(1_000);

    // Assess
    expect(beforeLoad).toBe(0);
    expect(ui.open).toHaveBeenCalledTimes(1);
  });

  it('does not open by itself again within recontactDays of a response, and does after', async () => {
    // Prepare: the visitor answers
    const options = { surveyId: 'demo', endpoint: 'https://f.example', delay: 0, cooldownDays: 0 };
    createWidget(loadUi).mount(options);
    await vi.advanceTimersByTimeAsync(0);
    hooksOfLastOpen().interacted();
    hooksOfLastOpen().answered();

    // Act: later page loads
    vi.setSystemTime(T0 + 29 * DAY_MS);
    createWidget(loadUi).mount(options);
    await vi.advanceTimersByTimeAsync(10_000);
    const within = ui.open.mock.calls.length;
    vi.setSystemTime(T0 + 31 * DAY_MS);
    createWidget(loadUi).mount(options);
    await vi.advanceTimersByTimeAsync(0);

    // Assess
    expect(within).toBe(1);
    expect(ui.open).toHaveBeenCalledTimes(2);
    expect(stored()?.v.demo?.r).toBe(T0);
  });

  it('does not open by itself again within dismissDays of a dismissal, and does after', async () => {
    // Prepare
    const options = { surveyId: 'demo', endpoint: 'https://f.example', delay: 0, cooldownDays: 0, dismissDays: 7 };
    createWidget(loadUi).mount(options);
    await vi.advanceTimersByTimeAsync(0);
    hooksOfLastOpen().dismissed();

    // Act
    vi.setSystemTime(T0 + 6 * DAY_MS);
    createWidget(loadUi).mount(options);
    await vi.advanceTimersByTimeAsync(1_000);
    const within = ui.open.mock.calls.length;
    vi.setSystemTime(T0 + 8 * DAY_MS);
    createWidget(loadUi).mount(options);
    await vi.advanceTimersByTimeAsync(0);

    // Assess
    expect(within).toBe(1);
    expect(ui.open).toHaveBeenCalledTimes(2);
  });

  it('holds another survey back for the global cooldown after one was shown', async () => {
    // Prepare: the checkout survey shows on one page
    createWidget(loadUi).mount({ surveyId: 'checkout', endpoint: 'https://f.example', delay: 0, cooldownDays: 2 });
    await vi.advanceTimersByTimeAsync(0);

    // Act: the delivery survey on the next pages
    vi.setSystemTime(T0 + DAY_MS);
    createWidget(loadUi).mount({ surveyId: 'delivery', endpoint: 'https://f.example', delay: 0, cooldownDays: 2 });
    await vi.advanceTimersByTimeAsync(0);
    const within = ui.open.mock.calls.length;
    vi.setSystemTime(T0 + 2 * DAY_MS);
    createWidget(loadUi).mount({ surveyId: 'delivery', endpoint: 'https://f.example', delay: 0, cooldownDays: 2 });
    await vi.advanceTimersByTimeAsync(0);

    // Assess
    expect(within).toBe(1);
    expect(ui.open.mock.calls.map((call) => call[0].surveyId)).toEqual(['checkout', 'delivery']);
  });

  it('keeps a visitor\'s sampling roll, so one visitor is in or out on every page', async () => {
    // Prepare: the first roll lands at 60 (outside a 50 % sample)
    const options = { surveyId: 'demo', endpoint: 'https://f.example', delay: 0, sample: 50 };
    createWidget(loadUi, Date.now, () => 0.6).mount(options);

    // Act: later pages would roll low, but the kept roll counts
    createWidget(loadUi, Date.now, () => 0.1).mount(options);
    await vi.advanceTimersByTimeAsync(5_000);
    createWidget(loadUi, Date.now, () => 0.1).mount({ ...options, sample: 61 });
    await vi.advanceTimersByTimeAsync(0);

    // Assess
    expect(ui.open).toHaveBeenCalledTimes(1);
    expect(stored()?.s).toBeCloseTo(60);
  });

  it('in manual mode never opens by itself, loads nothing, and opens with focus on show()', async () => {
    // Prepare
    const widget = createWidget(loadUi);

    // Act
    widget.mount({ surveyId: 'demo', endpoint: 'https://f.example', trigger: 'manual', delay: 0 });
    await vi.advanceTimersByTimeAsync(60_000);
    const loadedBeforeShow = loadUi.mock.calls.length;
    widget.show();
    await vi.advanceTimersByTimeAsync(0);
    widget.hide();
    await vi.advanceTimersByTimeAsync(0);

    // Assess
    expect(loadedBeforeShow).toBe(0);
    expect(ui.open).toHaveBeenCalledTimes(1);
    expect(hooksOfLastOpen().focus).toBe(true);
    expect(ui.close).toHaveBeenCalled();
  });

  it('with consentRequired stores nothing until the visitor interacts, then stores what happened', async () => {
    // Prepare
    const widget = createWidget(loadUi);

    // Act
    widget.mount({ surveyId: 'demo', endpoint: 'https://f.example', delay: 0, consentRequired: true });
    await vi.advanceTimersByTimeAsync(0);
    const writesBeforeInteraction = storage.writes;
    hooksOfLastOpen().interacted();
    hooksOfLastOpen().answered();

    // Assess
    expect(ui.open).toHaveBeenCalledTimes(1);
    expect(writesBeforeInteraction).toBe(0);
    expect(stored()).toMatchObject({ l: T0, v: { demo: { r: T0 } } });
  });

  it('with consentRequired stores from the moment the site calls consent()', async () => {
    const widget = createWidget(loadUi);
    widget.mount({ surveyId: 'demo', endpoint: 'https://f.example', trigger: 'manual', consentRequired: true });
    const before = storage.writes;
    widget.consent();
    expect(before).toBe(0);
    expect(stored()).toMatchObject({ v: {} });
  });

  it('sends what an earlier page queued even when it will not open', async () => {
    // Prepare
    storage.setItem(QUEUE_KEY, '[{"k":"key-1"}]');

    // Act
    createWidget(loadUi).mount({ surveyId: 'demo', endpoint: 'https://f.example', trigger: 'manual' });
    await vi.advanceTimersByTimeAsync(0);

    // Assess
    expect(ui.flush).toHaveBeenCalledTimes(1);
    expect(ui.open).not.toHaveBeenCalled();
  });

  it('reports failures through onError and never throws, even when onError itself throws', async () => {
    // Prepare
    const errors: string[] = [];
    const failing = createWidget(() => Promise.reject(new Error('blocked by an ad blocker')));

    // Act
    failing.mount({ surveyId: 'demo', endpoint: 'https://f.example', trigger: 'manual', onError: (error) => errors.push(error.code) });
    failing.show();
    await vi.advanceTimersByTimeAsync(0);
    failing.mount({ surveyId: '', endpoint: '', onError: (error) => errors.push(error.code) });
    const throwingCallback = () =>
      failing.mount({
        surveyId: '',
        endpoint: '',
        onError: () => {
          throw new Error('site bug');
        },
      });

    // Assess
    expect(errors).toEqual(['load-failed', 'invalid-options']);
    expect(throwingCallback).not.toThrow();
    expect(() => failing.show()).not.toThrow();
  });
});
