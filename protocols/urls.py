from .pages import urlpatterns as page_urls
from .views import urlpatterns as check_urls

urlpatterns = [*check_urls, *page_urls]
