import { SourceFailure, type DataSource, type SourceDisclosure, type SourceRecord } from '../../domain/export/dataSource';
import type { Directory } from '../../domain/directory/directory';
import type { SubjectSnapshot } from '../../domain/requests/exportRequest';

/** The subject's profile as the directory holds it today. */
export class DirectoryProfileSource implements DataSource {
  readonly tabular = true;
  constructor(
    readonly id: string,
    readonly disclosure: SourceDisclosure,
    private readonly directory: Directory,
  ) {}

  async *records(subject: SubjectSnapshot, signal: AbortSignal): AsyncIterable<SourceRecord> {
    signal.throwIfAborted();
    let profile: Record<string, unknown> | undefined;
    try {
      profile = await this.directory.profile(subject.objectId);
    } catch (error) {
      // The directory's own error may quote the person it was asked about: say it in our words.
      throw new SourceFailure(this.id, 'the directory could not be read', { cause: error });
    }
    signal.throwIfAborted();
    if (profile) yield profile;
  }
}
