/** A tiny column chart of recent values (oldest left). */
export function Sparkbars({ values, label, alarm = false }: { values: number[]; label: string; alarm?: boolean }) {
  const max = Math.max(0, ...values);
  return (
    <div className="spark" role="img" aria-label={label}>
      {values.map((v, i) => (
        <span key={i} className={alarm && v > 0 ? 'spark-bar alarm' : 'spark-bar'} style={{ height: `${max > 0 ? Math.max(v > 0 ? 6 : 2, (v / max) * 100) : 2}%` }} />
      ))}
    </div>
  );
}
