import { useCallback, useState } from 'react';

// The optional new-alert sound: a short WebAudio beep (no audio file), off by default, the choice
// remembered in localStorage. At most one beep every few seconds however many alerts arrive.

const KEY = 'od.desk.sound';
let ctx: AudioContext | null = null;
let lastBeep = 0;

export function beep(): void {
  const now = Date.now();
  if (now - lastBeep < 3000) return;
  lastBeep = now;
  try {
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    ctx ??= new Ctx();
    if (ctx.state === 'suspended') void ctx.resume();
    const t = ctx.currentTime;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(880, t);
    osc.frequency.setValueAtTime(1175, t + 0.12);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.18, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.32);
  } catch {
    /* no audio device: silence */
  }
}

function initial(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

export function useSoundSetting(): [boolean, () => void] {
  const [on, setOn] = useState(initial);
  const toggle = useCallback(() => {
    const next = !on;
    setOn(next);
    try {
      localStorage.setItem(KEY, next ? '1' : '0');
    } catch {
      /* private mode: for this page only */
    }
    if (next) {
      lastBeep = 0;
      beep(); // a sample, and the user gesture that lets the browser play later beeps
    }
  }, [on]);
  return [on, toggle];
}
