// A fraction as a bar beside its figure, in words (the bar itself is not read out). Past 1 the bar
// is full; `alarm` draws it in the colour of something wrong.
export function ShareBar({ fraction, text, alarm = false }: { fraction: number; text: string; alarm?: boolean }) {
  const width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
  return (
    <span className="share-bar" data-alarm={alarm || undefined}>
      <span className="share-bar__track" aria-hidden="true">
        <span className="share-bar__fill" style={{ width }} />
      </span>
      <span className="share-bar__text">{text}</span>
    </span>
  );
}
