import type { Verdict } from '@shared/doctor/verdict';
import { HelpCircle, Stethoscope } from 'lucide-react';
import './doctor.css';

/** In the task table: the doctor has something to say about this task (its verdict as the tooltip). */
export function DoctorMark({ verdict }: { verdict: Verdict }) {
  const Icon = verdict.kind === 'diagnosed' ? Stethoscope : HelpCircle;
  return (
    <span title={`Doctor: ${verdict.title}`} data-testid="doctor-mark" data-rule={verdict.ruleId} className={verdict.kind === 'diagnosed' ? 'doctor-mark' : 'doctor-mark doctor-mark-unrecognised'}>
      <Icon size={13} aria-label={`Doctor: ${verdict.title}`} />
    </span>
  );
}
