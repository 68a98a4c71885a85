"""The page models: one JSON contract for every list and record a user reads.

Each `…_page` function builds a pydantic model from the library (`Storyline`); the web UI renders
it as HTML and returns it as its `.json` twin, and the CLI prints it for `--format json`, so the
three cannot drift apart. `href`s are paths on `storyline serve`. Nothing here imports FastAPI.
"""

from .actors import ActorPage, ActorsPage, actor_page, actors_page
from .articles import ArticlePage, article_page
from .blindspots import BlindSpotsPage, blind_spots_page
from .common import AccountCache, Here
from .stories import StoriesPage, stories_page
from .story import StoryPage, story_page
from .storylines import StorylinePage, StorylinesPage, storyline_page, storylines_page

__all__ = [
    "AccountCache", "ActorPage", "ActorsPage", "ArticlePage", "BlindSpotsPage", "Here", "StoriesPage", "StoryPage",
    "StorylinePage", "StorylinesPage", "actor_page", "actors_page", "article_page", "blind_spots_page", "stories_page",
    "story_page", "storyline_page", "storylines_page",
]
