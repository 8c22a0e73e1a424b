import json
from pathlib import Path

from django.core.management.base import BaseCommand

from uma.llm.serving import llamacpp_config, openai_env, shell, vllm_command


class Command(BaseCommand):
    help = (
        "Serve Uma's models over the OpenAI protocol: write the llama.cpp server config (the base and every "
        "active version, merged, by name) and print the commands that start it, or vLLM on a GPU, and the "
        "settings that point Tandem's llm workers at it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", default="var/llm-server.json", help="where to write the llama.cpp config")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--threads", type=int, default=2, help="CPU threads for the llama.cpp server")
        parser.add_argument("--public-url", default="", help="the URL workers reach it at (default: host:port)")

    def handle(self, *args, **options) -> None:
        config = llamacpp_config(host=options["host"], port=options["port"], threads=options["threads"])
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(config, indent=2))
        url = options["public_url"] or f"http://{options['host']}:{options['port']}/v1"
        say = self.stdout.write
        say(f"Wrote {out}: {', '.join(m['model_alias'] for m in config['models'])}.")
        say("\nllama.cpp (CPU):")
        say(f"  python -m llama_cpp.server --config_file {out}")
        say(f"  {shell(openai_env(url=url, schema_format='json_object'))}")
        say("\nvLLM (GPU; the same adapters, applied per request):")
        say(f"  {' '.join(vllm_command(port=options['port']))}")
        say(f"  {shell(openai_env(url=url, schema_format='json_schema'))}")
