FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    KERNEL_CACHE=/srv/kernels \
    CACHE_DIR=/tmp/gradient-descent-jobs \
    PORT=8050

WORKDIR /srv
RUN useradd --create-home --uid 10001 appuser

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY landscapes/ landscapes/
COPY optimizers/ optimizers/
COPY explore/ explore/
COPY analysis/ analysis/
COPY animate/ animate/
COPY jobs/ jobs/
COPY i18n/ i18n/
COPY locale/ locale/
COPY app/ app/
COPY lessons/ lessons/
COPY gunicorn.conf.py .
RUN mkdir kernels && chown appuser kernels

USER appuser
# Compile the engine for every (rule, surface) pairing now, once: every process of the container
# (gunicorn workers, background jobs, Celery workers) loads the machine code from /srv/kernels.
RUN python -m optimizers.precompile
# matplotlib's font cache and imageio-ffmpeg's binary, checked once at build time (animations).
RUN python -c "import animate.video"
EXPOSE 8050
CMD ["gunicorn", "--config", "gunicorn.conf.py", "app.server:server"]
