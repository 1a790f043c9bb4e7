import { ccpaLetterSections } from './ccpaLetter';
import { coverLetterSections, type CoverLetterInput, type Section } from './coverLetter';

/**
 * The letter a package carries answers under the law the request was made under: a CCPA request
 * gets the CCPA right-to-know answer, a GDPR request the Art. 15 letter (decision 0015).
 */
export function letterSections(input: CoverLetterInput): Section[] {
  switch (input.request.regime) {
    case 'ccpa':
      return ccpaLetterSections(input);
    case 'gdpr':
      return coverLetterSections(input);
  }
}
