from django.core.management.base import BaseCommand
from tqdm import tqdm

from marketplace.models import FreelancerProfile, JobPost
from marketplace.services.embedding_store import KINDS
from recruiter.services.embeddings import EMBED_BATCH, embeddings_refresh_batch


class Command(BaseCommand):
    help = "Embed every freelancer profile and job post whose text (or the embedding model) changed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--kind", choices=KINDS, help="only profiles or only jobs")
        parser.add_argument("--batch", type=int, default=EMBED_BATCH)

    def handle(self, *args, **options) -> None:
        for kind in [options["kind"]] if options["kind"] else KINDS:
            total = (FreelancerProfile if kind == "profile" else JobPost).objects.count()
            embedded, after = 0, 0
            with tqdm(total=total, desc=f"embedding {kind}s", unit="row", file=self.stderr._out) as bar:
                while True:
                    result = embeddings_refresh_batch(kind=kind, after_id=after, limit=options["batch"])
                    embedded += result.embedded
                    bar.update(result.seen)
                    if result.last_id is None:
                        break
                    after = result.last_id
            self.stdout.write(f"  {kind}s: {embedded} embedded, {total - embedded} already current")
