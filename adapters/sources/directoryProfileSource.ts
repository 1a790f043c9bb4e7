import type { DataSource, SourceDisclosure, SourceRecord } from '../../domain/export/dataSource';
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

  async *records(subject: SubjectSnapshot): AsyncIterable<SourceRecord> {
    const profile = await this.directory.profile(subject.objectId);
    if (profile) yield profile;
  }
}
