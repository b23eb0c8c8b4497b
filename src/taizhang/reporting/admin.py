from django.contrib import admin

from taizhang.reporting.models import Adoption, Article, Submission


class AdoptionInline(admin.TabularInline):
    model = Adoption
    extra = 0


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["date", "unit", "kind", "title", "author"]
    list_filter = ["kind"]
    search_fields = ["title"]
    inlines = [AdoptionInline]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["date", "unit", "title", "outlet", "outlet_level"]
    list_filter = ["outlet_level"]
    search_fields = ["title", "outlet"]
